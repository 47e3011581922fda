/**
 * The Studio settings form of a course's credits: from the API's answer to form state, from form
 * state to the PUT body, and the API's field_errors ("credits.0.amount") placed on the form's rows.
 * The rules (amount > 0, reference numbers, one credit per type) are checked by the API only.
 */
export const TRIGGERS = ['passing', 'certificate', 'manual'];

let nextRowKey = 0;
const rowKey = () => { nextRowKey += 1; return `row-${nextRowKey}`; };

export const emptyRow = () => ({ key: rowKey(), credit: '', amount: '', referenceNumber: '' });

/** Form state from GET courses/{course_id}/ (CourseSettings). */
export function toForm(settings) {
  return {
    enabled: Boolean(settings.enabled),
    awardTrigger: settings.award_trigger || 'passing',
    revokeOnCertificateRevoked: Boolean(settings.revoke_on_certificate_revoked),
    rows: (settings.credits || []).map((item) => ({
      key: rowKey(),
      credit: String(item.credit),
      amount: item.amount,
      referenceNumber: item.reference_number || '',
      saved: savedApproval(item),
    })),
  };
}

/** What the server says of a saved credit's approval, and the values it was approved for. */
function savedApproval(item) {
  return {
    credit: String(item.credit),
    amount: item.amount,
    referenceNumber: item.reference_number || '',
    status: item.approval_status || 'approved',
    validFrom: item.valid_from || null,
    validUntil: item.valid_until || null,
    rejectionReason: item.rejection_reason || '',
  };
}

/**
 * The approval a row shows, for credit types that require approval: the saved state while the row
 * still says what was saved ("approved", "pending", "rejected"), else "new" (saving asks for approval).
 */
export function rowApproval(row) {
  const { saved } = row;
  const unchanged = saved && saved.credit === row.credit && saved.referenceNumber === row.referenceNumber.trim()
    && Number(saved.amount) === Number(String(row.amount).trim().replace(',', '.'));
  return unchanged ? saved : { status: 'new' };
}

/** The PUT body (CourseSettingsWrite). Rows keep their order, so errors come back by row index. */
export function toBody(form) {
  return {
    enabled: form.enabled,
    award_trigger: form.awardTrigger,
    revoke_on_certificate_revoked: form.revokeOnCertificateRevoked,
    credits: form.rows.map((row) => ({
      credit: row.credit === '' ? null : Number(row.credit),
      amount: String(row.amount).trim().replace(',', '.'),
      reference_number: row.referenceNumber.trim(),
    })),
  };
}

const ROW_FIELD = /^credits\.(\d+)(?:\.(credit|amount|reference_number))?$/;

/**
 * {form: {enabled, award_trigger, ...: [messages]}, rows: {rowKey: {credit, amount,
 * reference_number, row: [messages]}}, other: [messages]} from the API's field_errors.
 */
export function placeErrors(fieldErrors, rows) {
  const placed = { form: {}, rows: {}, other: [] };
  Object.entries(fieldErrors || {}).forEach(([name, list]) => {
    const errorList = Array.isArray(list) ? list.map(String) : [String(list)];
    const match = ROW_FIELD.exec(name);
    const row = match ? rows[Number(match[1])] : null;
    if (row) {
      const field = match[2] || 'row';
      placed.rows[row.key] = placed.rows[row.key] || {};
      placed.rows[row.key][field] = [...(placed.rows[row.key][field] || []), ...errorList];
    } else if (['enabled', 'award_trigger', 'revoke_on_certificate_revoked', 'credits'].includes(name)) {
      placed.form[name] = errorList;
    } else {
      placed.other.push(...errorList);
    }
  });
  return placed;
}

/**
 * The credits an author can choose, by id: the active ones, plus those the course already has
 * (an archived credit stays on the course that carries it).
 */
export function creditChoices(activeCredits, settings) {
  const choices = new Map();
  (settings?.credits || []).forEach((item) => {
    choices.set(String(item.credit), { id: item.credit, name: item.name, credit_type: item.credit_type, reference_number: item.effective_reference_number });
  });
  // A credit's own name is in the site's default language; display_name in the reader's (the API
  // follows the request's Accept-Language), as the designations above already are.
  (activeCredits || []).forEach((credit) => choices.set(String(credit.id), { ...credit, name: credit.display_name || credit.name }));
  return [...choices.values()].sort((a, b) => (
    a.credit_type.name.localeCompare(b.credit_type.name) || a.name.localeCompare(b.name)
  ));
}

/** The Studio course id from the authoring MFE's path (/course/{course_id}/pages-and-resources/...). */
export function courseIdFromPath(pathname) {
  const match = /\/course\/([^/]+)/.exec(pathname || '');
  return match ? decodeURIComponent(match[1]) : null;
}
