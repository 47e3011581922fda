import React from 'react';
import {
  beforeEach, describe, expect, it,
} from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';

import CourseAboutCredits from '../src/components/CourseAboutCredits';
import * as f from './fixtures';
import { LMS, renderInLocale, setUpApp } from './helpers';

const COURSE = `${LMS}/api/credits/v1/courses/${encodeURIComponent(f.COURSE_ID)}/`;

describe('CourseAboutCredits', () => {
  let api;
  beforeEach(() => { api = setUpApp(); });

  it('says it is loading, then lists the credits with amounts and reference numbers', async () => {
    let answer;
    api.onGet(COURSE).reply(() => new Promise((resolve) => { answer = resolve; }));
    renderInLocale(<CourseAboutCredits courseAboutData={{ id: f.COURSE_ID, name: 'Ethics' }} />);
    expect(screen.getByRole('heading', { name: 'Credits' })).toBeInTheDocument();
    expect(screen.getByText('Loading credits…')).toBeInTheDocument();
    answer([200, f.courseSettings]);
    const card = await screen.findByRole('region', { name: 'Credits' });
    const [ethics, leadership] = await within(card).findAllByRole('listitem');
    expect(ethics).toHaveTextContent('Ethics CPE · CPA Ontario · 2.50 hours');
    expect(ethics).toHaveTextContent('Reference number: CPA-2025-17');
    expect(leadership).toHaveTextContent('Leadership · Management · 1.00 points');
    expect(leadership).not.toHaveTextContent('Reference number');
  });

  it('promises no credits for a course the learner cannot enrol in, unless they are enrolled', async () => {
    api.onGet(COURSE).reply(200, f.courseSettings);
    const closed = { id: f.COURSE_ID, canEnroll: false, enrollment: { isActive: false } };
    const { container, unmount } = renderInLocale(<CourseAboutCredits courseAboutData={closed} />);
    expect(container).toBeEmptyDOMElement();
    expect(api.history.get).toHaveLength(0);
    unmount();
    renderInLocale(<CourseAboutCredits courseAboutData={{ ...closed, enrollment: { isActive: true } }} />);
    expect(await screen.findByRole('region', { name: 'Credits' })).toBeInTheDocument();
    expect(api.history.get).toHaveLength(1);
  });

  it('shows nothing when the course awards no credits (404)', async () => {
    api.onGet(COURSE).reply(404, f.notFound);
    const { container } = renderInLocale(<CourseAboutCredits courseId={f.COURSE_ID} />);
    await waitFor(() => expect(container).toBeEmptyDOMElement());
    expect(api.history.get).toHaveLength(1);
  });

  it('shows nothing when credits are off or none are chosen (what Studio authors can read)', async () => {
    api.onGet(COURSE).reply(200, f.disabledCourseSettings);
    const { container } = renderInLocale(<CourseAboutCredits courseId={f.COURSE_ID} />);
    await waitFor(() => expect(api.history.get).toHaveLength(1));
    await waitFor(() => expect(container).toBeEmptyDOMElement());
  });

  it('says the credits could not be loaded on a server error', async () => {
    api.onGet(COURSE).reply(503, 'Service Unavailable');
    renderInLocale(<CourseAboutCredits courseId={f.COURSE_ID} />);
    expect(await screen.findByText('The credits of this course could not be loaded.')).toBeInTheDocument();
  });

  it('speaks French', async () => {
    api.onGet(COURSE).reply(200, f.courseSettings);
    renderInLocale(<CourseAboutCredits courseId={f.COURSE_ID} />, 'fr');
    expect(await screen.findByText('Terminez ce cours pour obtenir :')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Crédits' })).toBeInTheDocument();
    expect(screen.getByText('Numéro de référence : CPA-2025-17')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem')[0]).toHaveTextContent('2,50 hours');
  });
});
