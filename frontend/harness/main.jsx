/**
 * One widget in one state, chosen by the URL (?widget=sidebar&state=data&locale=fr), for the
 * screenshots and browser tests of tests/browser/test_widgets.py. The API answers with the tests'
 * fixtures through the tests' mock app (the platform's initializeMockApp and axios-mock-adapter);
 * Paragon's own CSS styles the page. Once the widget shows its state, <body data-ready="1">.
 * Without a widget in the URL, the page links every state.
 *
 * Live (the demo's /learner-dashboard/ injects window.creditsLive = {username, lms}): the learner
 * dashboard as a learner sees it on Ulmo and Verawood, against the demo's own API (same origin,
 * the session's cookie): each course card of /api/learner_home/init with its credits, and the
 * sidebar widget.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { camelCaseObject, initializeMockApp, mergeConfig } from '@edx/frontend-platform';
import { getAuthenticatedHttpClient } from '@edx/frontend-platform/auth';
import { IntlProvider } from '@edx/frontend-platform/i18n';
import '@openedx/paragon/dist/core.min.css';
import '@openedx/paragon/dist/light.min.css';

import CourseAboutCredits from '../src/components/CourseAboutCredits';
import CourseCardCredits, { CourseCardCreditsContent } from '../src/components/CourseCardCredits';
import CreditsCourseAppSettings from '../src/components/CreditsCourseAppSettings';
import CreditsSidebarWidget from '../src/components/CreditsSidebarWidget';
import { withCreditsIntl } from '../src/components/CreditsIntl';
import { inLanguage } from '../src/data/api';
import * as f from '../test/fixtures';
import { LMS, STUDIO, setUpApp } from '../test/helpers';

// The platform's mock services build their methods with Jest's jest.fn (vitest's vi in the tests).
globalThis.jest = { fn: (impl = () => undefined) => (...args) => impl(...args) };

const course = (base) => `${base}/api/credits/v1/courses/${encodeURIComponent(f.COURSE_ID)}/`;
const SUMMARY = `${LMS}/api/credits/v1/learners/ada/summary/`;
const REQUIREMENTS = `${LMS}/api/credits/v1/learners/ada/requirements/`;
const never = () => new Promise(() => {});
const notEarnedCard = { ...f.dashboardCard, courseRun: { ...f.dashboardCard.courseRun, earnedCredits: [] } };

const sidebar = <CreditsSidebarWidget />;
const about = <CourseAboutCredits courseAboutData={{ id: f.COURSE_ID, name: 'Ethics for Accountants' }} />;
const settings = <CreditsCourseAppSettings courseId={f.COURSE_ID} onClose={() => {}} />;
const settingsApi = (api) => {
  api.onGet(course(STUDIO)).reply(200, f.courseSettings);
  api.onGet(`${STUDIO}/api/credits/v1/credits/?is_active=true&page_size=500`).reply(200, f.activeCredits);
};

/**
 * widget -> its page width and states; a state: what the API answers, what to render, what to
 * click once it is there, and the CSS selector that says the state is shown.
 */
const WIDGETS = {
  sidebar: {
    width: 320,
    states: {
      data: {
        api: (api) => {
          api.onGet(SUMMARY).reply(200, f.learnerSummary);
          api.onGet(REQUIREMENTS).reply(200, f.learnerRequirements);
        },
        element: sidebar,
        ready: '.course-credits-requirements',
      },
      empty: {
        api: (api) => {
          api.onGet(SUMMARY).reply(200, f.emptySummary);
          api.onGet(REQUIREMENTS).reply(200, f.noRequirements);
        },
        element: sidebar,
        ready: 'p',
      },
      error: { api: (api) => api.onGet(SUMMARY).reply(503, 'Service Unavailable'), element: sidebar, ready: '.alert' },
      loading: { api: (api) => api.onGet(SUMMARY).reply(never), element: sidebar, ready: '[role=status]' },
    },
  },
  card: {
    width: 640,
    states: {
      data: { element: <CourseCardCredits cardId="card-0" courseData={f.dashboardCard} />, ready: 'li' },
      'not-earned': { element: <CourseCardCredits cardId="card-0" courseData={notEarnedCard} />, ready: 'li' },
    },
  },
  about: {
    width: 360,
    states: {
      data: { api: (api) => api.onGet(course(LMS)).reply(200, f.courseSettings), element: about, ready: 'li' },
    },
  },
  settings: {
    width: 800, // Paragon's large modal dialog, which the dialog is
    states: {
      data: { api: settingsApi, element: settings, ready: '#course-credits-settings-form' },
      errors: {
        // The author types 0 as the second credit's amount and saves; the API answers with its field error.
        api: (api) => {
          settingsApi(api);
          api.onPut(course(STUDIO)).reply(400, {
            ...f.validationError, field_errors: { 'credits.1.amount': f.validationError.field_errors['credits.1.amount'] },
          });
        },
        element: settings,
        type: { selector: '.course-credits-row:nth-of-type(2) input[inputmode="decimal"]', value: '0' },
        click: 'button[form="course-credits-settings-form"]',
        ready: '[aria-invalid="true"]',
      },
    },
  },
};

const waitFor = (selector) => new Promise((resolve) => {
  const look = () => {
    const found = document.querySelector(selector);
    if (found) { resolve(found); } else { setTimeout(look, 20); }
  };
  look();
});

const Index = () => (
  <ul className="m-4">
    {Object.entries(WIDGETS).flatMap(([widget, { states }]) => Object.keys(states).flatMap(
      (state) => ['en', 'fr'].map((locale) => {
        const query = `?widget=${widget}&state=${state}&locale=${locale}`;
        return <li key={query}><a href={query}>{query}</a></li>;
      }),
    ))}
  </ul>
);

/** The platform's app with its real HTTP client, unmocked: requests go to the demo itself. */
const LANGUAGE_COOKIE = 'openedx-language-preference';

function setUpLiveApp({ username, lms, locale }) {
  mergeConfig({
    LMS_BASE_URL: lms, STUDIO_BASE_URL: lms, LOGIN_URL: `${lms}/accounts/login/`, LOGOUT_URL: `${lms}/logout`,
    REFRESH_ACCESS_TOKEN_ENDPOINT: `${lms}/login_refresh`, ACCESS_TOKEN_COOKIE_NAME: 'edx-jwt-cookie-header-payload',
    CSRF_TOKEN_API_PATH: '/csrf/api/v1/token', LANGUAGE_PREFERENCE_COOKIE_NAME: LANGUAGE_COOKIE,
  });
  // The learner's language as the LMS records it for every MFE: frontend-platform's getLocale()
  // reads it, and the widgets ask the API for names in it (Accept-Language).
  document.cookie = `${LANGUAGE_COOKIE}=${locale}; path=/; SameSite=Lax`;
  initializeMockApp({ authenticatedUser: { userId: 0, username, administrator: false, roles: [] } });
}

// A course card's credits in the widgets' own catalogs, as the slot's component has them.
const LiveCardCredits = withCreditsIntl(CourseCardCreditsContent);

// The dashboard's own heading (the MFE's words, not the plugin's), in the harness's two languages.
const MY_COURSES = { en: 'My courses', fr: 'Mes cours' };

const LiveDashboard = ({ courses, locale }) => (
  <main className="container-fluid p-3">
    <h1 className="h2">{MY_COURSES[locale] || MY_COURSES.en}</h1>
    <div className="d-flex flex-wrap align-items-start">
      <div className="flex-grow-1 mr-3" style={{ minWidth: 480, maxWidth: 760 }}>
        {courses.map((card, index) => (
          <article key={card.courseRun.courseId} className="border rounded mb-3 bg-white" data-course={card.courseRun.courseId}>
            <h2 className="h3 px-3 pt-3">{card.course?.courseName || card.courseRun.courseId}</h2>
            <LiveCardCredits cardId={`card-${index}`} courseData={card} />
          </article>
        ))}
      </div>
      <aside style={{ width: 320 }} aria-label="Credits">
        <CreditsSidebarWidget />
      </aside>
    </div>
  </main>
);

async function showLive(root, locale) {
  const { username, lms } = globalThis.creditsLive;
  setUpLiveApp({ username, lms, locale });
  // The dashboard's own call; on the platform the language cookie rides along, here the header.
  const { data } = await getAuthenticatedHttpClient().get(`${lms}/api/learner_home/init`, inLanguage());
  root.render(
    <IntlProvider locale={locale} messages={{}}>
      <LiveDashboard courses={camelCaseObject(data).courses} locale={locale} />
    </IntlProvider>,
  );
  await waitFor('aside dl, aside .alert, aside p.mb-0');
  await document.fonts.ready;
  document.body.dataset.ready = '1';
}

async function show() {
  const query = new URLSearchParams(globalThis.location.search);
  const locale = query.get('locale') || 'en';
  if (globalThis.creditsLive) {
    document.documentElement.lang = locale;
    await showLive(createRoot(document.getElementById('root')), locale);
    return;
  }
  const widget = WIDGETS[query.get('widget')];
  const state = widget?.states[query.get('state') || 'data'];
  document.documentElement.lang = locale;
  const root = createRoot(document.getElementById('root'));
  if (!state) {
    root.render(<Index />);
    return;
  }
  const api = setUpApp({ username: 'ada' });
  state.api?.(api);
  root.render(
    <IntlProvider locale={locale} messages={{}}>
      <div id="widget" className="p-3" style={{ width: widget.width }}>{state.element}</div>
    </IntlProvider>,
  );
  if (state.type) {
    // As a person types: React listens to input events and reads the value through the native setter.
    const input = await waitFor(state.type.selector);
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, state.type.value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
  if (state.click) {
    (await waitFor(state.click)).click();
  }
  await waitFor(state.ready);
  await document.fonts.ready;
  document.body.dataset.ready = '1';
}

show();
