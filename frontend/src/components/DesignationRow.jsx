import React from 'react';
import PropTypes from 'prop-types';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Button, Form } from '@openedx/paragon';

import messages from '../messages';
import { rowApproval } from '../data/settingsForm';
import { formatDay } from './format';

/** Whether learners are awarded this credit yet, for credit types that require approval. */
export const approvalText = (intl, row) => {
  const approval = rowApproval(row);
  if (approval.status === 'pending') {
    return intl.formatMessage(messages.settingsApprovalPending);
  }
  if (approval.status === 'rejected') {
    return intl.formatMessage(messages.settingsApprovalRejected, { reason: approval.rejectionReason });
  }
  if (approval.status === 'approved') {
    const start = approval.validFrom && formatDay(intl, approval.validFrom);
    const end = approval.validUntil && formatDay(intl, approval.validUntil);
    if (start && end) {
      return intl.formatMessage(messages.settingsApprovalWindow, { start, end });
    }
    if (end) {
      return intl.formatMessage(messages.settingsApprovalUntil, { end });
    }
    if (start) {
      return intl.formatMessage(messages.settingsApprovalFrom, { start });
    }
    return intl.formatMessage(messages.settingsApprovalApproved);
  }
  return intl.formatMessage(messages.settingsApprovalNew);
};

/** The messages of one field, each prefixed "Error:" (never colour alone). */
export const FieldErrors = ({ errors = undefined }) => {
  const intl = useIntl();
  if (!errors?.length) {
    return null;
  }
  return (
    <Form.Control.Feedback type="invalid">
      {errors.map((message) => (
        <span key={message} className="d-block">{intl.formatMessage(messages.errorPrefix, { message })}</span>
      ))}
    </Form.Control.Feedback>
  );
};

FieldErrors.propTypes = { errors: PropTypes.arrayOf(PropTypes.string) };

/** One credit the course awards: which credit, how much, the course's reference number. */
const DesignationRow = ({
  row, index, choices, errors = {}, onChange, onRemove,
}) => {
  const intl = useIntl();
  const chosen = choices.find((credit) => String(credit.id) === row.credit);
  const unit = chosen?.credit_type?.unit;
  const prefix = `course-credits-row-${index}`;
  let referenceHelp = null;
  if (chosen?.credit_type?.requires_reference_number) {
    referenceHelp = intl.formatMessage(messages.settingsReferenceRequired);
  }
  if (chosen?.reference_number) {
    referenceHelp = intl.formatMessage(messages.settingsReferenceHelp, { number: chosen.reference_number });
  }
  const set = (field) => (event) => onChange({ ...row, [field]: event.target.value });

  return (
    <li className="course-credits-row border rounded p-3 mb-3">
      {errors.row && <FieldErrorsBlock errors={errors.row} />}
      <Form.Group controlId={`${prefix}-credit`} isInvalid={Boolean(errors.credit)}>
        <Form.Label>{intl.formatMessage(messages.settingsCredit)}</Form.Label>
        <Form.Control as="select" value={row.credit} onChange={set('credit')} aria-invalid={Boolean(errors.credit)}>
          <option value="">{intl.formatMessage(messages.settingsChooseCredit)}</option>
          {choices.map((credit) => (
            <option key={credit.id} value={String(credit.id)}>
              {`${credit.credit_type.name} — ${credit.name}`}
            </option>
          ))}
        </Form.Control>
        <FieldErrors errors={errors.credit} />
        {chosen?.credit_type?.requires_approval && (
          <Form.Text className="course-credits-approval" data-status={rowApproval(row).status}>
            {approvalText(intl, row)}
          </Form.Text>
        )}
      </Form.Group>
      <Form.Group controlId={`${prefix}-amount`} isInvalid={Boolean(errors.amount)}>
        <Form.Label>
          {unit
            ? intl.formatMessage(messages.settingsAmount, { unit })
            : intl.formatMessage(messages.settingsAmountNoUnit)}
        </Form.Label>
        <Form.Control
          type="text"
          inputMode="decimal"
          value={row.amount}
          onChange={set('amount')}
          aria-invalid={Boolean(errors.amount)}
        />
        <FieldErrors errors={errors.amount} />
      </Form.Group>
      <Form.Group controlId={`${prefix}-reference`} isInvalid={Boolean(errors.reference_number)}>
        <Form.Label>{intl.formatMessage(messages.settingsReference)}</Form.Label>
        <Form.Control
          type="text"
          maxLength={100}
          value={row.referenceNumber}
          onChange={set('referenceNumber')}
          aria-invalid={Boolean(errors.reference_number)}
        />
        {referenceHelp && <Form.Text>{referenceHelp}</Form.Text>}
        <FieldErrors errors={errors.reference_number} />
      </Form.Group>
      <Button variant="outline-danger" size="sm" onClick={onRemove}>
        {chosen
          ? intl.formatMessage(messages.settingsRemove, { name: chosen.name })
          : intl.formatMessage(messages.settingsRemoveUnnamed)}
      </Button>
    </li>
  );
};

/** Errors about a whole row or the whole list, outside any field. */
export const FieldErrorsBlock = ({ errors }) => {
  const intl = useIntl();
  return (
    <div className="text-danger small mb-2" role="alert">
      {errors.map((message) => (
        <p key={message} className="mb-1">{intl.formatMessage(messages.errorPrefix, { message })}</p>
      ))}
    </div>
  );
};

FieldErrorsBlock.propTypes = { errors: PropTypes.arrayOf(PropTypes.string).isRequired };

DesignationRow.propTypes = {
  row: PropTypes.shape({
    key: PropTypes.string.isRequired,
    credit: PropTypes.string.isRequired,
    amount: PropTypes.string.isRequired,
    referenceNumber: PropTypes.string.isRequired,
  }).isRequired,
  index: PropTypes.number.isRequired,
  choices: PropTypes.arrayOf(PropTypes.shape({ id: PropTypes.number, name: PropTypes.string })).isRequired,
  errors: PropTypes.objectOf(PropTypes.arrayOf(PropTypes.string)),
  onChange: PropTypes.func.isRequired,
  onRemove: PropTypes.func.isRequired,
};

export default DesignationRow;
