import React from 'react';
import PropTypes from 'prop-types';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert, Card, Spinner } from '@openedx/paragon';

import { getCourseCredits } from '../data/api';
import useRequest from '../data/useRequest';
import messages from '../messages';
import { withCreditsIntl } from './CreditsIntl';
import { formatAmount } from './format';

const HEADING_ID = 'course-credits-about-heading';

/**
 * The course's credits card on the catalog MFE's course about page (slot
 * org.openedx.frontend.catalog.course_about_page.sidebar, prop ``courseAboutData`` whose ``id``
 * is the course id), from GET /api/credits/v1/courses/{course_id}/. Nothing at all when the course
 * awards no credits (404, credits off, none designated), and nothing, without a request, when the
 * catalog says the learner cannot enrol (``canEnroll`` false: enrolment closed, invitation only, the
 * course full) and is not enrolled already: a course nobody can join promises no credits.
 */
export const CourseAboutCreditsContent = ({ courseId = undefined, courseAboutData = undefined }) => {
  const intl = useIntl();
  const closed = courseAboutData?.canEnroll === false && !courseAboutData?.enrollment?.isActive;
  const id = closed ? undefined : (courseId || courseAboutData?.id);
  const { status, data } = useRequest(getCourseCredits, id);

  if (closed || status === 'notFound' || (status === 'ready' && (!data.enabled || !data.credits?.length))) {
    return null;
  }
  let body;
  if (status === 'loading') {
    body = <Spinner animation="border" size="sm" screenReaderText={intl.formatMessage(messages.loading)} />;
  } else if (status === 'error') {
    body = <Alert variant="warning" className="mb-0">{intl.formatMessage(messages.aboutError)}</Alert>;
  } else {
    body = (
      <>
        <p className="mb-2">{intl.formatMessage(messages.aboutIntro)}</p>
        <ul className="list-unstyled mb-0">
          {data.credits.map((item) => (
            <li key={item.credit} className="mb-2">
              <span className="font-weight-bold">{item.name}</span>
              {' · '}{item.credit_type.name}
              {' · '}{formatAmount(intl, item.amount, item.credit_type.unit, messages)}
              {item.effective_reference_number && (
                <span className="d-block small">
                  {intl.formatMessage(messages.referenceNumber, { number: item.effective_reference_number })}
                </span>
              )}
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <Card as="section" className="course-credits-about my-3" aria-labelledby={HEADING_ID} aria-busy={status === 'loading'}>
      <Card.Section>
        <h2 id={HEADING_ID} className="h4">{intl.formatMessage(messages.aboutHeading)}</h2>
        {body}
      </Card.Section>
    </Card>
  );
};

CourseAboutCreditsContent.propTypes = {
  /** e.g. course-v1:Org+Course+Run; default: courseAboutData.id */
  courseId: PropTypes.string,
  /** What the catalog MFE's sidebar slot passes (its course about data). */
  courseAboutData: PropTypes.shape({
    id: PropTypes.string,
    canEnroll: PropTypes.bool,
    enrollment: PropTypes.shape({ isActive: PropTypes.bool }),
  }),
};

const CourseAboutCredits = withCreditsIntl(CourseAboutCreditsContent);
export default CourseAboutCredits;
