/**
 * Responses of the plugin's API, shaped after its OpenAPI schema (checked in schema.test.js), and
 * a learner dashboard card as the learner-home API sends it once the plugin's filter steps ran
 * (credits_plugin/filters/learner_home.py: courseRun.offeredCredits / earnedCredits).
 */
export const PATHS = {
  summary: '/api/credits/v1/learners/{username}/summary/',
  requirements: '/api/credits/v1/learners/{username}/requirements/',
  course: '/api/credits/v1/courses/{course_id}/',
  credits: '/api/credits/v1/credits/',
};

export const COURSE_ID = 'course-v1:Acme+ETH101+2025';

const cpa = {
  id: 1, name: 'CPA Ontario', unit: 'hours', requires_reference_number: true, requires_approval: true,
};
const management = {
  id: 2, name: 'Management', unit: 'points', requires_reference_number: false, requires_approval: false,
};

export const learnerSummary = {
  username: 'ada',
  totals: [
    { credit_type: 'CPA Ontario', unit: 'hours', amount: '7.50' },
    { credit_type: 'Management', unit: 'points', amount: '3.00' },
  ],
  credit_totals: [
    { credit_name: 'Ethics CPE', credit_type: 'CPA Ontario', unit: 'hours', amount: '7.50' },
    { credit_name: 'Leadership', credit_type: 'Management', unit: 'points', amount: '3.00' },
  ],
  awards: [{
    uuid: '6f1c2a52-8a7e-4d8e-9a55-4f7c1d2e3b4a',
    course_id: COURSE_ID,
    course_name: 'Ethics for Accountants',
    credit_name: 'Ethics CPE',
    credit_type_name: 'CPA Ontario',
    amount: '7.50',
    unit: 'hours',
    reference_number: 'CPA-2025-17',
    source: 'passing',
    status: 'awarded',
    awarded_at: '2025-03-14T10:00:00Z',
  }],
};

export const emptySummary = {
  username: 'ada', totals: [], credit_totals: [], awards: [],
};

export const courseSettings = {
  course_id: COURSE_ID,
  enabled: true,
  award_trigger: 'passing',
  revoke_on_certificate_revoked: true,
  credits: [
    {
      credit: 11,
      name: 'Ethics CPE',
      credit_type: cpa,
      amount: '2.50',
      reference_number: '',
      effective_reference_number: 'CPA-2025-17',
      is_active: true,
      approval_status: 'approved',
      valid_from: '2026-01-01',
      valid_until: '2027-12-31',
      rejection_reason: '',
    },
    {
      credit: 12,
      name: 'Leadership',
      credit_type: management,
      amount: '1.00',
      reference_number: '',
      effective_reference_number: '',
      is_active: true,
      approval_status: 'approved',
      valid_from: null,
      valid_until: null,
      rejection_reason: '',
    },
  ],
};

export const disabledCourseSettings = {
  course_id: COURSE_ID, enabled: false, award_trigger: 'manual', revoke_on_certificate_revoked: false, credits: [],
};

export const activeCredits = {
  count: 3,
  num_pages: 1,
  current_page: 1,
  next: null,
  previous: null,
  results: [
    {
      id: 11, credit_type: cpa, name: 'Ethics CPE', description: '', reference_number: 'CPA-2025-17', is_active: true,
      translations: { fr: { name: 'Éthique (FPC)' } }, display_name: 'Ethics CPE',
    },
    {
      id: 12, credit_type: management, name: 'Leadership', description: '', reference_number: '', is_active: true,
      translations: {}, display_name: 'Leadership',
    },
    {
      id: 13, credit_type: management, name: 'Strategy', description: 'Strategic planning', reference_number: '', is_active: true,
      translations: {}, display_name: 'Strategy',
    },
  ],
};

export const notFound = {
  error_code: 'not_found', developer_message: 'This course does not award credits.', field_errors: {},
};

export const forbidden = {
  error_code: 'permission_denied', developer_message: 'You need Studio write access to this course.', field_errors: {},
};

export const validationError = {
  error_code: 'validation_error',
  developer_message: 'The amount must be greater than zero.',
  field_errors: {
    'credits.1.amount': ['The amount must be greater than zero.'],
    credits: ["A course can carry only one credit of type 'Management': choose either 'Leadership' or 'Strategy'."],
  },
};

/** A learner dashboard course card ({courseRun, enrollment, ...}) with the plugin's keys. */
export const dashboardCard = {
  cardId: 'card-0',
  course: { courseName: 'Ethics for Accountants' },
  courseRun: {
    courseId: COURSE_ID,
    offeredCredits: [
      { creditName: 'Ethics CPE', creditType: 'CPA Ontario', amount: '2.50', unit: 'hours', referenceNumber: 'CPA-2025-17' },
      { creditName: 'Leadership', creditType: 'Management', amount: '1.00', unit: 'points', referenceNumber: '' },
    ],
    earnedCredits: [{
      uuid: '6f1c2a52-8a7e-4d8e-9a55-4f7c1d2e3b4a',
      creditName: 'Ethics CPE',
      creditType: 'CPA Ontario',
      amount: '2.50',
      unit: 'hours',
      referenceNumber: 'CPA-2025-17',
      awardedAt: '2025-03-14T10:00:00+00:00',
    }],
  },
  enrollment: { isEnrolled: true },
};

export const dashboardCardWithoutCredits = {
  cardId: 'card-1',
  courseRun: { courseId: 'course-v1:Acme+GEO+2025', offeredCredits: [], earnedCredits: [] },
  enrollment: { isEnrolled: true },
};

export const learnerRequirements = {
  username: 'ada',
  as_of: '2026-06-30',
  requirements: [
    {
      id: 3,
      name: 'Annual CPD',
      unit: 'CPD hours',
      period_start: '2026-01-01',
      period_end: '2026-12-31',
      required: '20.00',
      earned: '15.00',
      carried_over: '2.00',
      remaining: '3.00',
      met: false,
      sub_requirements: [{
        id: 4,
        name: 'Ethics',
        unit: 'CPD hours',
        period_start: '2026-01-01',
        period_end: '2026-12-31',
        required: '4.00',
        earned: '3.00',
        carried_over: '0.00',
        remaining: '1.00',
        met: false,
      }],
      past_periods: [{
        period_start: '2025-01-01', period_end: '2025-12-31', required: '20.00', earned: '22.00', carried_over: '0.00', met: true,
      }],
    },
    {
      id: 5,
      name: 'Continuing education',
      unit: 'CEU',
      period_start: '2026-01-01',
      period_end: '2026-12-31',
      required: '0.50',
      earned: '0.90',
      carried_over: '0.00',
      remaining: '0.00',
      met: true,
      sub_requirements: [],
      past_periods: [],
    },
  ],
};

export const noRequirements = { username: 'ada', as_of: '2026-06-30', requirements: [] };
