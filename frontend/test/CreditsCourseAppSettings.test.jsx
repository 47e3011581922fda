import React from 'react';
import {
  beforeEach, describe, expect, it, vi,
} from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import CreditsCourseAppSettings from '../src/components/CreditsCourseAppSettings';
import { courseIdFromPath } from '../src/data/settingsForm';
import * as f from './fixtures';
import { STUDIO, renderInLocale, setUpApp } from './helpers';

const COURSE = `${STUDIO}/api/credits/v1/courses/${encodeURIComponent(f.COURSE_ID)}/`;
const CREDITS = `${STUDIO}/api/credits/v1/credits/`;

const rows = (name = 'Credits awarded') => within(screen.getByRole('list', { name })).queryAllByRole('listitem');

describe('CreditsCourseAppSettings', () => {
  let api;
  beforeEach(() => {
    api = setUpApp();
    api.onGet(`${CREDITS}?is_active=true&page_size=500`).reply(200, f.activeCredits);
  });

  it('says it is loading, then shows the course settings', async () => {
    let answer;
    api.onGet(COURSE).reply(() => new Promise((resolve) => { answer = resolve; }));
    renderInLocale(<CreditsCourseAppSettings courseId={f.COURSE_ID} onClose={() => {}} />);
    expect(screen.getByRole('dialog', { name: 'Configure course credits' })).toBeInTheDocument();
    expect(screen.getByText('Loading credits…')).toBeInTheDocument();
    answer([200, f.courseSettings]);
    expect(await screen.findByRole('switch', { name: 'Award credits in this course' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'when they pass the course' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Revoke credits when a certificate is revoked' })).toBeChecked();
    const [ethics, leadership] = rows();
    expect(within(ethics).getByLabelText('Credit')).toHaveDisplayValue('CPA Ontario — Ethics CPE');
    expect(within(ethics).getByLabelText('Amount (hours)')).toHaveValue('2.50');
    expect(within(ethics).getByText("Leave empty to use the credit's own number (CPA-2025-17).")).toBeInTheDocument();
    expect(within(leadership).getByLabelText('Amount (points)')).toHaveValue('1.00');
  });

  it('saves what the author changed with PUT', async () => {
    const user = userEvent.setup();
    api.onGet(COURSE).reply(200, f.courseSettings);
    api.onPut(COURSE).reply((config) => [200, { ...f.courseSettings, ...JSON.parse(config.data), credits: f.courseSettings.credits }]);
    const onSaved = vi.fn();
    renderInLocale(<CreditsCourseAppSettings courseId={f.COURSE_ID} onClose={() => {}} onSaved={onSaved} />);
    await user.click(await screen.findByRole('radio', { name: 'when their certificate is issued' }));
    await user.click(screen.getByRole('checkbox', { name: 'Revoke credits when a certificate is revoked' }));
    const [ethics] = rows();
    await user.clear(within(ethics).getByLabelText('Amount (hours)'));
    await user.type(within(ethics).getByLabelText('Amount (hours)'), '3,25');
    await user.type(within(ethics).getByLabelText('Course reference number'), 'ETH-9');
    await user.click(screen.getByRole('button', { name: 'Remove Leadership' }));
    await user.click(screen.getByRole('button', { name: 'Add a credit' }));
    const added = rows()[1];
    await user.selectOptions(within(added).getByLabelText('Credit'), 'Management — Strategy');
    await user.type(within(added).getByLabelText('Amount (points)'), '2');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Credit settings saved.')).toBeInTheDocument();
    expect(api.history.put).toHaveLength(1);
    expect(JSON.parse(api.history.put[0].data)).toEqual({
      enabled: true,
      award_trigger: 'certificate',
      revoke_on_certificate_revoked: false,
      credits: [
        { credit: 11, amount: '3.25', reference_number: 'ETH-9' },
        { credit: 13, amount: '2', reference_number: '' },
      ],
    });
    expect(onSaved).toHaveBeenCalledTimes(1);
  });

  it('says whether each credit that needs approval is approved, waiting or rejected', async () => {
    const user = userEvent.setup();
    api.onGet(COURSE).reply(200, f.courseSettings);
    const first = renderInLocale(<CreditsCourseAppSettings courseId={f.COURSE_ID} onClose={() => {}} />);
    await screen.findByRole('switch', { name: 'Award credits in this course' });
    const [ethics, leadership] = rows();
    expect(within(ethics).getByText('Approved for learners who pass from January 1, 2026 to December 31, 2027.'))
      .toBeInTheDocument();
    expect(within(leadership).queryByText(/approv/i)).toBeNull(); // Management needs no approval
    await user.clear(within(ethics).getByLabelText('Amount (hours)'));
    await user.type(within(ethics).getByLabelText('Amount (hours)'), '4');
    expect(within(ethics).getByText(/^Saving asks for approval/)).toBeInTheDocument();
    first.unmount();

    const [saved] = f.courseSettings.credits;
    api.onGet(COURSE).reply(200, {
      ...f.courseSettings,
      credits: [{ ...saved, approval_status: 'rejected', rejection_reason: 'No ethics outline.' }],
    });
    renderInLocale(<CreditsCourseAppSettings courseId={f.COURSE_ID} onClose={() => {}} />);
    expect(await screen.findByText(/^Rejected: No ethics outline\. Learners are not awarded/)).toBeInTheDocument();
  });

  it("shows the API's field errors next to the fields they concern", async () => {
    const user = userEvent.setup();
    api.onGet(COURSE).reply(200, f.courseSettings);
    api.onPut(COURSE).reply(400, f.validationError);
    renderInLocale(<CreditsCourseAppSettings courseId={f.COURSE_ID} onClose={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Save' }));

    expect(await screen.findByText('The settings were not saved. Correct the fields marked below.')).toBeInTheDocument();
    const [ethics, leadership] = rows();
    const amount = within(leadership).getByLabelText('Amount (points)');
    expect(amount).toHaveAttribute('aria-invalid', 'true');
    expect(amount).toHaveAccessibleDescription(expect.stringContaining('Error: The amount must be greater than zero.'));
    expect(within(ethics).getByLabelText('Amount (hours)')).not.toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText(/Error: A course can carry only one credit of type 'Management'/)).toBeInTheDocument();
  });

  it('says when the author may not change the course, and when loading failed', async () => {
    api.onGet(COURSE).reply(403, f.forbidden);
    renderInLocale(<CreditsCourseAppSettings courseId={f.COURSE_ID} onClose={() => {}} />);
    expect(await screen.findByText("You do not have permission to change this course's credits.")).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
  });

  it('starts empty for a course without settings, and closes through the MFE', async () => {
    const user = userEvent.setup();
    api.onGet(COURSE).reply(200, f.disabledCourseSettings);
    const onClose = vi.fn();
    renderInLocale(<CreditsCourseAppSettings courseId={f.COURSE_ID} onClose={onClose} />);
    expect(await screen.findByText('This course awards no credits yet. Add one below.')).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'Award credits in this course' })).not.toBeChecked();
    expect(screen.getByRole('radio', { name: 'only when course staff award them' })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('finds the course id in the authoring MFE path', () => {
    expect(courseIdFromPath(`/authoring/course/${f.COURSE_ID}/pages-and-resources/course_credits/settings`))
      .toBe(f.COURSE_ID);
    expect(courseIdFromPath('/home')).toBeNull();
  });

  it('speaks French, field errors included', async () => {
    const user = userEvent.setup();
    api.onGet(COURSE).reply(200, f.courseSettings);
    api.onPut(COURSE).reply(400, f.validationError);
    renderInLocale(<CreditsCourseAppSettings courseId={f.COURSE_ID} onClose={() => {}} />, 'fr');
    expect(screen.getByRole('dialog', { name: 'Configurer les crédits du cours' })).toBeInTheDocument();
    expect(await screen.findByRole('switch', { name: 'Attribuer des crédits dans ce cours' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'lorsqu’ils réussissent le cours' })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Enregistrer' }));
    expect(await screen.findByText(/Corrigez les champs signalés/)).toBeInTheDocument();
    expect(within(rows('Crédits attribués')[1]).getByLabelText('Quantité (points)'))
      .toHaveAccessibleDescription(expect.stringContaining('Erreur : The amount must be greater than zero.'));
  });
});
