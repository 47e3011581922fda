import React from 'react';
import {
  beforeEach, describe, expect, it,
} from 'vitest';
import { act, screen, within } from '@testing-library/react';

import CourseCardCredits, { makeCourseCardCredits } from '../src/components/CourseCardCredits';
import { cardIndex, queryCourseCard, reduxCourseCard } from '../src/data/learnerDashboard';
import * as f from './fixtures';
import { renderInLocale, setUpApp } from './helpers';

describe('CourseCardCredits', () => {
  let api;
  beforeEach(() => { api = setUpApp(); });

  it('lists what the course awards and what the learner earned, from the card data alone', () => {
    renderInLocale(<CourseCardCredits cardId="card-0" courseData={f.dashboardCard} />);
    const section = screen.getByRole('region', { name: 'Credits this course awards' });
    const [ethics, leadership] = within(section).getAllByRole('listitem');
    expect(ethics).toHaveTextContent('Ethics CPE · CPA Ontario · 2.50 hours');
    expect(ethics).toHaveTextContent('Earned on March 14, 2025');
    expect(leadership).toHaveTextContent('Leadership · Management · 1.00 points');
    expect(leadership).toHaveTextContent('Not earned yet');
    expect(api.history.get).toHaveLength(0); // no request per card
  });

  it('keeps an award of a credit the course no longer offers', () => {
    const card = {
      ...f.dashboardCard,
      courseRun: { ...f.dashboardCard.courseRun, offeredCredits: [] },
    };
    renderInLocale(<CourseCardCredits cardId="card-0" courseData={card} />);
    expect(screen.getByRole('listitem')).toHaveTextContent('Ethics CPE · CPA Ontario · 2.50 hours Earned on March 14, 2025');
  });

  it('shows nothing on a course without credits, or before the card data is there', () => {
    const { container } = renderInLocale(
      <>
        <CourseCardCredits cardId="card-1" courseData={f.dashboardCardWithoutCredits} />
        <CourseCardCredits cardId="card-2" courseData={null} />
        <CourseCardCredits cardId="card-3" courseData={{ courseRun: { offeredCredits: 'oops' } }} />
      </>,
    );
    expect(container).toBeEmptyDOMElement();
  });

  it('speaks French', () => {
    renderInLocale(<CourseCardCredits cardId="card-0" courseData={f.dashboardCard} />, 'fr');
    const section = screen.getByRole('region', { name: 'Crédits attribués par ce cours' });
    const [ethics, leadership] = within(section).getAllByRole('listitem');
    expect(ethics).toHaveTextContent('2,50 hours');
    expect(ethics).toHaveTextContent('Obtenu le 14 mars 2025');
    expect(leadership).toHaveTextContent('Pas encore obtenu');
  });
});

describe('finding a card from the slot cardId', () => {
  beforeEach(() => { setUpApp(); });

  it('reads card-N', () => {
    expect(cardIndex('card-12')).toBe(12);
    expect(cardIndex('course-card-1')).toBeNull();
  });

  it('reads the Redux learner dashboard (state.app.courseData)', () => {
    const state = { app: { courseData: { 'card-0': f.dashboardCard, 'card-1': f.dashboardCardWithoutCredits } } };
    const useSelector = (selector) => selector(state);
    const Widget = makeCourseCardCredits(reduxCourseCard(useSelector));
    renderInLocale(<><Widget cardId="card-0" /><Widget cardId="card-1" /><Widget cardId="card-9" /></>);
    expect(screen.getAllByRole('region')).toHaveLength(1);
    expect(screen.getByText('Ethics CPE')).toBeInTheDocument();
  });

  it('reads the React Query learner dashboard and follows its updates', () => {
    // A stand-in with the QueryClient methods the adapter uses (the real one lives in the MFE).
    const listeners = new Set();
    const queries = [{ state: { data: { courses: [f.dashboardCardWithoutCredits] }, dataUpdatedAt: 1 } }];
    const cache = {
      findAll: ({ queryKey }) => (queryKey.join() === 'learner-dashboard,initialize' ? queries : []),
      subscribe: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
    };
    const client = { getQueryCache: () => cache };
    const Widget = makeCourseCardCredits(queryCourseCard(() => client));
    renderInLocale(<Widget cardId="card-0" />);
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
    act(() => {
      queries.push({ state: { data: { courses: [f.dashboardCard] }, dataUpdatedAt: 2 } });
      listeners.forEach((listener) => listener());
    });
    expect(screen.getByRole('region', { name: 'Credits this course awards' })).toBeInTheDocument();
  });
});
