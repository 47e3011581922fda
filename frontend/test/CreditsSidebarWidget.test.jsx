import React from 'react';
import {
  beforeEach, describe, expect, it,
} from 'vitest';
import { screen, within } from '@testing-library/react';

import CreditsSidebarWidget from '../src/components/CreditsSidebarWidget';
import * as f from './fixtures';
import { LMS, renderInLocale, setUpApp } from './helpers';

const SUMMARY = `${LMS}/api/credits/v1/learners/ada/summary/`;
const REQUIREMENTS = `${LMS}/api/credits/v1/learners/ada/requirements/`;

describe('CreditsSidebarWidget', () => {
  let api;
  beforeEach(() => {
    api = setUpApp({ username: 'ada' });
    api.onGet(REQUIREMENTS).reply(200, f.noRequirements);
  });

  it('says it is loading until the summary arrives', async () => {
    let answer;
    api.onGet(SUMMARY).reply(() => new Promise((resolve) => { answer = resolve; }));
    renderInLocale(<CreditsSidebarWidget />);
    expect(screen.getByRole('heading', { name: 'My credits' })).toBeInTheDocument();
    expect(screen.getByText('Loading credits…')).toBeInTheDocument();
    answer([200, f.learnerSummary]);
    expect(await screen.findByText('CPA Ontario')).toBeInTheDocument();
    expect(screen.queryByText('Loading credits…')).not.toBeInTheDocument();
  });

  it("shows the signed-in learner's totals per type and links to their credits page", async () => {
    api.onGet(SUMMARY).reply(200, f.learnerSummary);
    renderInLocale(<CreditsSidebarWidget />);
    const totals = await screen.findByLabelText('Credits earned, by type');
    expect(within(totals).getByText('CPA Ontario')).toBeInTheDocument();
    expect(within(totals).getByText('7.50 hours')).toBeInTheDocument();
    expect(within(totals).getByText('Management')).toBeInTheDocument();
    expect(within(totals).getByText('3.00 points')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /See all my credits/ })).toHaveAttribute('href', `${LMS}/credits/me/`);
    const summaryCalls = api.history.get.filter((call) => call.url === SUMMARY);
    expect(summaryCalls).toHaveLength(1);
    expect(summaryCalls[0].params).toEqual({ awards: false }); // totals only: not every award
    expect(screen.queryByRole('heading', { name: 'My requirements' })).not.toBeInTheDocument();
  });

  it('says so when the learner has no credits', async () => {
    api.onGet(SUMMARY).reply(200, f.emptySummary);
    renderInLocale(<CreditsSidebarWidget />);
    expect(await screen.findByText(/You have not earned any credits yet/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Credits earned, by type')).not.toBeInTheDocument();
  });

  it('says the credits could not be loaded when the API fails', async () => {
    api.onGet(SUMMARY).reply(403, f.forbidden);
    renderInLocale(<CreditsSidebarWidget />);
    expect(await screen.findByText('Your credits could not be loaded. Try again later.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /See all my credits/ })).toBeInTheDocument();
  });

  it('speaks French', async () => {
    api.onGet(SUMMARY).reply(200, f.learnerSummary);
    renderInLocale(<CreditsSidebarWidget />, 'fr');
    expect(screen.getByRole('heading', { name: 'Mes crédits' })).toBeInTheDocument();
    const totals = await screen.findByLabelText('Crédits obtenus, par type');
    expect(within(totals).getByText('7,50 hours')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Voir tous mes crédits/ })).toBeInTheDocument();
  });

  it('shows where the learner stands on each requirement', async () => {
    api.onGet(SUMMARY).reply(200, f.learnerSummary);
    api.onGet(REQUIREMENTS).reply(200, f.learnerRequirements);
    renderInLocale(<CreditsSidebarWidget />);
    const section = (await screen.findByRole('heading', { name: 'My requirements' })).closest('section');
    const items = within(section).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'Annual CPD17.00 of 20.00 CPD hours3.00 CPD hours to go by December 31, 2026',
      'Continuing education0.90 of 0.50 CEUMet for this period',
    ]);
  });

  it('keeps the totals when the requirements cannot be read', async () => {
    api.onGet(SUMMARY).reply(200, f.learnerSummary);
    api.onGet(REQUIREMENTS).reply(500);
    renderInLocale(<CreditsSidebarWidget />);
    expect(await screen.findByLabelText('Credits earned, by type')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'My requirements' })).not.toBeInTheDocument();
  });

  it('speaks French about requirements too', async () => {
    api.onGet(SUMMARY).reply(200, f.learnerSummary);
    api.onGet(REQUIREMENTS).reply(200, f.learnerRequirements);
    renderInLocale(<CreditsSidebarWidget />, 'fr');
    const section = (await screen.findByRole('heading', { name: 'Mes exigences' })).closest('section');
    expect(within(section).getByText('17,00 sur 20,00 CPD hours')).toBeInTheDocument();
    expect(within(section).getByText("Encore 3,00 CPD hours d'ici le 31 décembre 2026")).toBeInTheDocument();
    expect(within(section).getByText('Satisfaite pour cette période')).toBeInTheDocument();
  });
});
