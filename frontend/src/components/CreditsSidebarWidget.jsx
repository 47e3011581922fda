import React from 'react';
import PropTypes from 'prop-types';
import { useIntl } from '@edx/frontend-platform/i18n';
import { getAuthenticatedUser } from '@edx/frontend-platform/auth';
import {
  Alert, Card, Hyperlink, Spinner,
} from '@openedx/paragon';

import { getLearnerRequirements, getLearnerSummary, learnerCreditsPageUrl } from '../data/api';
import useRequest from '../data/useRequest';
import messages from '../messages';
import { withCreditsIntl } from './CreditsIntl';
import { formatAmount, formatDay } from './format';

const HEADING_ID = 'course-credits-sidebar-heading';
const REQUIREMENTS_ID = 'course-credits-sidebar-requirements';

/**
 * Each requirement that applies to the learner: what counts this period out of what it requires,
 * and whether it is met or what is left by when. Nothing when none applies or it cannot be read
 * (the totals above still show).
 */
const Requirements = ({ requirements = undefined }) => {
  const intl = useIntl();
  if (!requirements?.length) {
    return null;
  }
  const amount = (value, unit) => formatAmount(intl, value, unit, messages);
  return (
    <section className="course-credits-requirements mt-3" aria-labelledby={REQUIREMENTS_ID}>
      <h3 id={REQUIREMENTS_ID} className="h5">{intl.formatMessage(messages.sidebarRequirementsHeading)}</h3>
      <ul className="list-unstyled mb-0">
        {requirements.map((requirement) => {
          const counted = Number(requirement.earned) + Number(requirement.carried_over);
          return (
            <li key={requirement.id} className="course-credits-requirement mb-2">
              <div className="font-weight-bold">{requirement.name}</div>
              <div>
                {intl.formatMessage(messages.sidebarRequirementProgress, {
                  counted: amount(counted, ''),
                  required: amount(requirement.required, requirement.unit),
                })}
              </div>
              <div className={requirement.met ? 'text-success' : 'font-weight-bold'}>
                {requirement.met
                  ? intl.formatMessage(messages.sidebarRequirementMet)
                  : intl.formatMessage(messages.sidebarRequirementBehind, {
                    remaining: amount(requirement.remaining, requirement.unit),
                    date: formatDay(intl, requirement.period_end),
                  })}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
};

Requirements.propTypes = {
  requirements: PropTypes.arrayOf(PropTypes.shape({
    id: PropTypes.number.isRequired,
    name: PropTypes.string.isRequired,
    unit: PropTypes.string,
    required: PropTypes.string.isRequired,
    earned: PropTypes.string.isRequired,
    carried_over: PropTypes.string.isRequired,
    remaining: PropTypes.string.isRequired,
    met: PropTypes.bool.isRequired,
    period_end: PropTypes.string.isRequired,
  })),
};

/**
 * Learner dashboard sidebar (slot org.openedx.frontend.learner_dashboard.widget_sidebar.v1): the
 * signed-in learner's totals per credit type, from GET /api/credits/v1/learners/{username}/summary/,
 * where they stand on each requirement that applies to them (.../requirements/), and a link to
 * their credits page on the LMS.
 */
export const CreditsSidebarWidgetContent = ({ username = undefined }) => {
  const intl = useIntl();
  const name = username ?? getAuthenticatedUser()?.username;
  const { status, data } = useRequest(getLearnerSummary, name);
  const requirements = useRequest(getLearnerRequirements, name);

  let body;
  if (status === 'loading') {
    body = <Spinner animation="border" size="sm" screenReaderText={intl.formatMessage(messages.loading)} />;
  } else if (status !== 'ready') {
    body = <Alert variant="warning">{intl.formatMessage(messages.sidebarError)}</Alert>;
  } else if (!data.totals?.length) {
    body = <p className="mb-0">{intl.formatMessage(messages.sidebarEmpty)}</p>;
  } else {
    body = (
      <dl className="mb-0" aria-label={intl.formatMessage(messages.sidebarTotalsLabel)}>
        {data.totals.map((total) => (
          <div key={`${total.credit_type}-${total.unit}`} className="d-flex justify-content-between">
            <dt className="font-weight-normal">{total.credit_type}</dt>
            <dd className="mb-1 font-weight-bold">{formatAmount(intl, total.amount, total.unit, messages)}</dd>
          </div>
        ))}
      </dl>
    );
  }

  return (
    <Card as="section" className="course-credits-sidebar mb-4" aria-labelledby={HEADING_ID}>
      <Card.Section>
        <h2 id={HEADING_ID} className="h4">{intl.formatMessage(messages.sidebarHeading)}</h2>
        {body}
        {requirements.status === 'ready' && <Requirements requirements={requirements.data.requirements} />}
      </Card.Section>
      <Card.Footer className="justify-content-start">
        <Hyperlink destination={learnerCreditsPageUrl()}>{intl.formatMessage(messages.sidebarLink)}</Hyperlink>
      </Card.Footer>
    </Card>
  );
};

CreditsSidebarWidgetContent.propTypes = {
  /** Whose credits; default: the signed-in user. */
  username: PropTypes.string,
};

const CreditsSidebarWidget = withCreditsIntl(CreditsSidebarWidgetContent);
export default CreditsSidebarWidget;
