import React from 'react';
import PropTypes from 'prop-types';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Badge } from '@openedx/paragon';

import { cardCredits, creditRows } from '../data/learnerDashboard';
import messages from '../messages';
import { withCreditsIntl } from './CreditsIntl';
import { formatAmount, formatDay } from './format';

/**
 * The credits a course awards and whether the learner earned them, on a learner dashboard course
 * card (slot org.openedx.frontend.learner_dashboard.course_card_banner.v1, prop ``cardId``). The
 * data comes with the dashboard's own learner-home answer (the plugin's filter steps add it): no
 * request per card. ``courseData`` is that card's object; ``makeCourseCardCredits`` binds a hook
 * that finds it from ``cardId``.
 */
export const CourseCardCreditsContent = ({ cardId = '', courseData = null }) => {
  const intl = useIntl();
  const rows = creditRows(cardCredits(courseData));
  if (!rows.length) {
    return null;
  }
  const headingId = `course-credits-card-${cardId}`;
  return (
    <section className="course-credits-card border-top px-3 pt-2 pb-2 mt-2" aria-labelledby={headingId}>
      <h3 id={headingId} className="h4 mb-1">{intl.formatMessage(messages.cardHeading)}</h3>
      <ul className="list-unstyled mb-0">
        {rows.map(({ credit, award }) => (
          <li key={`${credit.creditType}-${credit.creditName}`} className="mb-1">
            <span className="font-weight-bold">{credit.creditName}</span>
            {' · '}{credit.creditType}
            {' · '}{formatAmount(intl, (award || credit).amount, (award || credit).unit, messages)}
            {' '}
            {/* The status is in words; the badge colour only repeats it. */}
            <Badge variant={award ? 'success' : 'light'}>
              {award
                ? intl.formatMessage(messages.cardEarned, { date: formatDay(intl, award.awardedAt) })
                : intl.formatMessage(messages.cardNotEarned)}
            </Badge>
          </li>
        ))}
      </ul>
    </section>
  );
};

CourseCardCreditsContent.propTypes = {
  cardId: PropTypes.string,
  /** The learner dashboard's object for this card ({courseRun, enrollment, ...}). */
  courseData: PropTypes.shape({
    courseRun: PropTypes.shape({
      offeredCredits: PropTypes.arrayOf(PropTypes.shape({})),
      earnedCredits: PropTypes.arrayOf(PropTypes.shape({})),
    }),
  }),
};

const CourseCardCredits = withCreditsIntl(CourseCardCreditsContent);

/**
 * A course card widget for the slot, given a hook ``useCourseCard(cardId) -> card object``
 * (see ``reduxCourseCard`` and ``queryCourseCard``).
 */
export function makeCourseCardCredits(useCourseCard) {
  const SlotWidget = ({ cardId }) => <CourseCardCredits cardId={cardId} courseData={useCourseCard(cardId)} />;
  SlotWidget.propTypes = { cardId: PropTypes.string.isRequired };
  SlotWidget.displayName = 'CourseCardCreditsSlotWidget';
  return SlotWidget;
}

export default CourseCardCredits;
