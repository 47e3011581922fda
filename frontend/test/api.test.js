import {
  beforeEach, describe, expect, it,
} from 'vitest';
import { configure as configureI18n, getLocale } from '@edx/frontend-platform/i18n';
import { getConfig, mergeConfig } from '@edx/frontend-platform';
import { getLearnerSummary, getActiveCredits, getCourseCredits } from '../src/data/api';
import { creditChoices } from '../src/data/settingsForm';
import { setUpApp, LMS, STUDIO } from './helpers';

describe('the API answers in the MFE\'s language', () => {
  let http;
  beforeEach(() => {
    http = setUpApp();
  });

  it('sends the locale as Accept-Language, so names come back translated', async () => {
    configureI18n({
      loggingService: { logError: () => {}, logInfo: () => {} }, config: getConfig(), messages: { fr: {} },
    });
    mergeConfig({ LANGUAGE_PREFERENCE_COOKIE_NAME: 'openedx-language-preference' });
    document.cookie = 'openedx-language-preference=fr; path=/';
    const seen = [];
    http.onGet(/.*/).reply((request) => {
      seen.push(request.headers['Accept-Language']);
      return [200, { results: [], next: null, totals: [] }];
    });
    await getLearnerSummary('ada');
    await getCourseCredits('course-v1:A+B+C');
    await getActiveCredits();
    expect(getLocale()).toBe('fr');
    expect(seen).toEqual(['fr', 'fr', 'fr']);
    expect(http.history.get.map((request) => request.url)).toEqual([
      `${LMS}/api/credits/v1/learners/ada/summary/`,
      `${LMS}/api/credits/v1/courses/course-v1%3AA%2BB%2BC/`,
      `${STUDIO}/api/credits/v1/credits/?is_active=true&page_size=500`,
    ]);
    document.cookie = 'openedx-language-preference=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT';
  });

  it('shows the credits an author picks from by their name in the reader\'s language', () => {
    const type = { id: 1, name: 'Ordre des CPA', unit: 'heures' };
    const choices = creditChoices([{ id: 7, name: 'Ethics', display_name: 'Éthique', credit_type: type },
      { id: 8, name: 'Tax', credit_type: type }], null);
    expect(choices.map((credit) => credit.name)).toEqual(['Éthique', 'Tax']);
  });
});
