import React, { useEffect, useState } from 'react';
import PropTypes from 'prop-types';
import { useIntl } from '@edx/frontend-platform/i18n';
import {
  ActionRow, Alert, Button, Form, ModalDialog, Spinner, StatefulButton,
} from '@openedx/paragon';

import {
  apiError, getActiveCredits, getCourseSettings, httpStatus, putCourseSettings,
} from '../data/api';
import {
  TRIGGERS, courseIdFromPath, creditChoices, emptyRow, placeErrors, toBody, toForm,
} from '../data/settingsForm';
import messages from '../messages';
import { withCreditsIntl } from './CreditsIntl';
import DesignationRow, { FieldErrors, FieldErrorsBlock } from './DesignationRow';

const TRIGGER_LABELS = {
  passing: messages.triggerPassing,
  certificate: messages.triggerCertificate,
  manual: messages.triggerManual,
};

const NO_ERRORS = { form: {}, rows: {}, other: [] };

/**
 * The settings of the ``course_credits`` course app in the authoring MFE's Pages & Resources (loaded
 * as ``@openedx-plugins/course-app-course_credits/Settings.jsx`` with an ``onClose`` prop): credits
 * on or off, the award trigger, revoke on certificate revoked, and the credits with amounts and
 * reference numbers, through GET/PUT /api/credits/v1/courses/{course_id}/ on Studio.
 */
export const CreditsCourseAppSettingsContent = ({ onClose, courseId = undefined, onSaved = () => {} }) => {
  const intl = useIntl();
  const id = courseId || courseIdFromPath(globalThis.location?.pathname);
  const [load, setLoad] = useState({ status: 'loading' });
  const [form, setForm] = useState(null);
  const [errors, setErrors] = useState(NO_ERRORS);
  const [save, setSave] = useState({ state: 'default', message: null });

  useEffect(() => {
    let current = true;
    Promise.all([getCourseSettings(id), getActiveCredits()]).then(
      ([settings, credits]) => {
        if (!current) { return; }
        setForm(toForm(settings));
        setLoad({ status: 'ready', choices: creditChoices(credits, settings) });
      },
      (error) => { if (current) { setLoad({ status: httpStatus(error) === 403 ? 'forbidden' : 'error' }); } },
    );
    return () => { current = false; };
  }, [id]);

  const update = (changes) => { setForm((previous) => ({ ...previous, ...changes })); setSave({ state: 'default' }); };
  const setRow = (index, row) => update({ rows: form.rows.map((r, i) => (i === index ? row : r)) });

  const onSubmit = async (event) => {
    event.preventDefault();
    setSave({ state: 'pending' });
    setErrors(NO_ERRORS);
    try {
      const saved = await putCourseSettings(id, toBody(form));
      setForm(toForm(saved));
      setSave({ state: 'complete', message: messages.settingsSaved });
      onSaved(saved);
    } catch (error) {
      const body = apiError(error);
      const status = httpStatus(error);
      if (body && status === 400) {
        setErrors(placeErrors(body.field_errors, form.rows));
        setSave({ state: 'error', message: messages.settingsFixErrors });
      } else {
        setSave({ state: 'error', message: status === 403 ? messages.settingsNoAccess : messages.settingsSaveError });
      }
    }
  };

  let body;
  if (load.status === 'loading') {
    body = <Spinner animation="border" screenReaderText={intl.formatMessage(messages.loading)} />;
  } else if (load.status !== 'ready') {
    body = (
      <Alert variant="danger">
        {intl.formatMessage(load.status === 'forbidden' ? messages.settingsNoAccess : messages.settingsLoadError)}
      </Alert>
    );
  } else {
    body = (
      <Form id="course-credits-settings-form" onSubmit={onSubmit} noValidate>
        <p>{intl.formatMessage(messages.settingsHelp)}</p>
        {save.message && (
          <Alert variant={save.state === 'complete' ? 'success' : 'danger'}>
            <p className="mb-0">{intl.formatMessage(save.message)}</p>
            {errors.other.map((message) => <p key={message} className="mb-0">{message}</p>)}
          </Alert>
        )}
        <Form.Group controlId="course-credits-enabled" isInvalid={Boolean(errors.form.enabled)}>
          <Form.Switch checked={form.enabled} onChange={(e) => update({ enabled: e.target.checked })}>
            {intl.formatMessage(messages.settingsEnabled)}
          </Form.Switch>
          <FieldErrors errors={errors.form.enabled} />
        </Form.Group>
        <Form.Group isInvalid={Boolean(errors.form.award_trigger)}>
          <Form.Label as="legend" className="h5">{intl.formatMessage(messages.settingsTrigger)}</Form.Label>
          <Form.RadioSet
            name="course-credits-award-trigger"
            value={form.awardTrigger}
            onChange={(e) => update({ awardTrigger: e.target.value })}
          >
            {TRIGGERS.map((trigger) => (
              <Form.Radio key={trigger} value={trigger}>{intl.formatMessage(TRIGGER_LABELS[trigger])}</Form.Radio>
            ))}
          </Form.RadioSet>
          <FieldErrors errors={errors.form.award_trigger} />
        </Form.Group>
        <Form.Group controlId="course-credits-revoke" isInvalid={Boolean(errors.form.revoke_on_certificate_revoked)}>
          <Form.Checkbox
            checked={form.revokeOnCertificateRevoked}
            onChange={(e) => update({ revokeOnCertificateRevoked: e.target.checked })}
          >
            {intl.formatMessage(messages.settingsRevoke)}
          </Form.Checkbox>
          <FieldErrors errors={errors.form.revoke_on_certificate_revoked} />
        </Form.Group>
        <h3 className="h4" id="course-credits-list-heading">{intl.formatMessage(messages.settingsCredits)}</h3>
        {errors.form.credits && <FieldErrorsBlock errors={errors.form.credits} />}
        {form.rows.length === 0 && <p>{intl.formatMessage(messages.settingsNoCredits)}</p>}
        <ol className="list-unstyled" aria-labelledby="course-credits-list-heading">
          {form.rows.map((row, index) => (
            <DesignationRow
              key={row.key}
              row={row}
              index={index}
              choices={load.choices}
              errors={errors.rows[row.key]}
              onChange={(changed) => setRow(index, changed)}
              onRemove={() => update({ rows: form.rows.filter((r) => r.key !== row.key) })}
            />
          ))}
        </ol>
        <Button variant="outline-primary" onClick={() => update({ rows: [...form.rows, emptyRow()] })}>
          {intl.formatMessage(messages.settingsAdd)}
        </Button>
      </Form>
    );
  }

  return (
    <ModalDialog
      title={intl.formatMessage(messages.settingsTitle)}
      isOpen
      onClose={onClose}
      size="lg"
      hasCloseButton
      isFullscreenOnMobile
    >
      <ModalDialog.Header>
        <ModalDialog.Title as="h2">{intl.formatMessage(messages.settingsTitle)}</ModalDialog.Title>
      </ModalDialog.Header>
      <ModalDialog.Body>{body}</ModalDialog.Body>
      <ModalDialog.Footer>
        <ActionRow>
          <ModalDialog.CloseButton variant="tertiary">{intl.formatMessage(messages.settingsCancel)}</ModalDialog.CloseButton>
          {load.status === 'ready' && (
            <StatefulButton
              type="submit"
              form="course-credits-settings-form"
              state={save.state === 'pending' ? 'pending' : 'default'}
              labels={{
                default: intl.formatMessage(messages.settingsSave),
                pending: intl.formatMessage(messages.settingsSaving),
              }}
              disabledStates={['pending']}
            />
          )}
        </ActionRow>
      </ModalDialog.Footer>
    </ModalDialog>
  );
};

CreditsCourseAppSettingsContent.propTypes = {
  /** Given by the authoring MFE: closes the dialog (back to Pages & Resources). */
  onClose: PropTypes.func.isRequired,
  /** Default: read from the authoring MFE's path. */
  courseId: PropTypes.string,
  /** Called with the saved settings. */
  onSaved: PropTypes.func,
};

const CreditsCourseAppSettings = withCreditsIntl(CreditsCourseAppSettingsContent);
export default CreditsCourseAppSettings;
