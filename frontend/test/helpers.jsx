import React from 'react';
import { render } from '@testing-library/react';
import MockAdapter from 'axios-mock-adapter';
import { initializeMockApp, mergeConfig } from '@edx/frontend-platform';
import { getAuthenticatedHttpClient } from '@edx/frontend-platform/auth';
import { IntlProvider } from '@edx/frontend-platform/i18n';

export const LMS = 'http://lms.test';
export const STUDIO = 'http://studio.test';

/**
 * The platform's own test app (@edx/frontend-platform/testing: MockAuthService with a real axios
 * client, real config and i18n), and an axios-mock-adapter on its authenticated HTTP client that
 * answers like the plugin's API.
 */
export function setUpApp({ username = 'ada' } = {}) {
  mergeConfig({
    LMS_BASE_URL: LMS, STUDIO_BASE_URL: STUDIO, LOGIN_URL: `${LMS}/login`, LOGOUT_URL: `${LMS}/logout`,
    REFRESH_ACCESS_TOKEN_ENDPOINT: `${LMS}/login_refresh`, ACCESS_TOKEN_COOKIE_NAME: 'edx-jwt-cookie-header-payload',
    CSRF_TOKEN_API_PATH: '/csrf/api/v1/token',
  });
  initializeMockApp({
    authenticatedUser: {
      userId: 3, username, administrator: false, roles: [],
    },
  });
  return new MockAdapter(getAuthenticatedHttpClient());
}

/** Render inside an IntlProvider like the MFE's (which carries only the MFE's own messages). */
export function renderInLocale(ui, locale = 'en') {
  return render(<IntlProvider locale={locale} messages={{}}>{ui}</IntlProvider>);
}
