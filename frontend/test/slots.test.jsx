import React from 'react';
import {
  beforeEach, describe, expect, it,
} from 'vitest';
import { screen, within } from '@testing-library/react';
import { mergeConfig } from '@edx/frontend-platform';
import { PluginSlot } from '@openedx/frontend-plugin-framework';

import { catalogSlots, learnerDashboardSlots } from '../src/slots';
import { reduxCourseCard } from '../src/data/learnerDashboard';
import * as f from './fixtures';
import { LMS, renderInLocale, setUpApp } from './helpers';

/** The widgets through the real PluginSlot, configured and called as the MFEs do. */
describe('in the MFE slots', () => {
  let api;
  beforeEach(() => { api = setUpApp(); });

  it('learner dashboard: sidebar and course card', async () => {
    api.onGet(`${LMS}/api/credits/v1/learners/ada/summary/`).reply(200, f.learnerSummary);
    const state = { app: { courseData: { 'card-0': f.dashboardCard } } };
    mergeConfig({ pluginSlots: learnerDashboardSlots({ useCourseCard: reduxCourseCard((select) => select(state)) }) });
    renderInLocale(
      <>
        <PluginSlot id="org.openedx.frontend.learner_dashboard.widget_sidebar.v1" idAliases={['widget_sidebar_slot']}>
          <p>Default sidebar</p>
        </PluginSlot>
        <PluginSlot id="org.openedx.frontend.learner_dashboard.course_card_banner.v1" pluginProps={{ cardId: 'card-0' }}>
          <p>Default banner</p>
        </PluginSlot>
      </>,
    );
    expect(screen.getByText('Default sidebar')).toBeInTheDocument();
    expect(screen.getByText('Default banner')).toBeInTheDocument();
    expect(await screen.findByText('7.50 hours')).toBeInTheDocument();
    const card = await screen.findByRole('region', { name: 'Credits this course awards' });
    expect(within(card).getByText('Earned on March 14, 2025')).toBeInTheDocument();
  });

  it('catalog: the course about sidebar', async () => {
    const url = `${LMS}/api/credits/v1/courses/${encodeURIComponent(f.COURSE_ID)}/`;
    api.onGet(url).reply(200, f.courseSettings);
    mergeConfig({ pluginSlots: catalogSlots() });
    renderInLocale(
      <PluginSlot
        id="org.openedx.frontend.catalog.course_about_page.sidebar"
        slotOptions={{ mergeProps: true }}
        pluginProps={{ courseAboutData: { id: f.COURSE_ID, name: 'Ethics for Accountants' } }}
      >
        <aside>Default sidebar</aside>
      </PluginSlot>,
    );
    expect(screen.getByText('Default sidebar')).toBeInTheDocument();
    expect(await screen.findByText('Reference number: CPA-2025-17')).toBeInTheDocument();
  });
});
