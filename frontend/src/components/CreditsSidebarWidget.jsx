import React from 'react';
import PropTypes from 'prop-types';
import { useIntl } from '@edx/frontend-platform/i18n';
import { getAuthenticatedUser } from '@edx/frontend-platform/auth';
import {
  Alert, Card, Hyperlink, Spinner,
} from '@openedx/paragon';

import { getLearnerSummary, learnerCreditsPageUrl } from '../data/api';
import useRequest from '../data/useRequest';
import messages from '../messages';
import { withCreditsIntl } from './CreditsIntl';
import { formatAmount } from './format';

const HEADING_ID = 'course-credits-sidebar-heading';

/**
 * Learner dashboard sidebar (slot org.openedx.frontend.learner_dashboard.widget_sidebar.v1): the
 * signed-in learner's totals per credit type, from GET /api/credits/v1/learners/{username}/summary/,
 * and a link to their credits page on the LMS.
 */
export const CreditsSidebarWidgetContent = ({ username = undefined }) => {
  const intl = useIntl();
  const name = username ?? getAuthenticatedUser()?.username;
  const { status, data } = useRequest(getLearnerSummary, name);

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
