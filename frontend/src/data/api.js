/**
 * Calls to the plugin's REST API (/api/credits/v1/), through the platform's authenticated HTTP client
 * (JWT cookie and CSRF handled by @edx/frontend-platform). Learner-facing widgets talk to the LMS,
 * the Studio course app settings to Studio (CMS): both mount the same API.
 */
import { getConfig } from '@edx/frontend-platform';
import { getAuthenticatedHttpClient } from '@edx/frontend-platform/auth';
import { getLocale } from '@edx/frontend-platform/i18n';

const API_PATH = '/api/credits/v1';

const trimSlash = (url) => (url || '').replace(/\/+$/, '');

export const lmsUrl = (path) => `${trimSlash(getConfig().LMS_BASE_URL)}${path}`;
export const studioUrl = (path) => `${trimSlash(getConfig().STUDIO_BASE_URL)}${path}`;

/** The learner's own credits page on the LMS. */
export const learnerCreditsPageUrl = () => lmsUrl('/credits/me/');

/**
 * Request options asking the API for names in the MFE's language: credit, type and unit names are
 * translated per language on the server (it falls back to the site's default language).
 */
export function inLanguage(options = {}) {
  let locale = null;
  try {
    locale = getLocale();
  } catch (e) {
    // i18n not configured (never in an MFE): the server picks the language itself.
  }
  return locale ? { ...options, headers: { ...options.headers, 'Accept-Language': locale } } : options;
}

const coursePath = (courseId) => `${API_PATH}/courses/${encodeURIComponent(courseId)}/`;

/** The learner's totals (``awards=false``: the dashboard shows totals, not every award). */
export async function getLearnerSummary(username) {
  const { data } = await getAuthenticatedHttpClient().get(
    lmsUrl(`${API_PATH}/learners/${encodeURIComponent(username)}/summary/`),
    inLanguage({ params: { awards: false } }),
  );
  return data;
}

/** Where the learner stands on each continuing-education requirement that applies to them. */
export async function getLearnerRequirements(username) {
  const { data } = await getAuthenticatedHttpClient().get(
    lmsUrl(`${API_PATH}/learners/${encodeURIComponent(username)}/requirements/`),
    inLanguage(),
  );
  return data;
}

/** A course's credits as the public sees them (LMS). A 404 means the course awards none. */
export async function getCourseCredits(courseId) {
  const { data } = await getAuthenticatedHttpClient().get(lmsUrl(coursePath(courseId)), inLanguage());
  return data;
}

/** A course's credit settings as its authors see them (Studio). */
export async function getCourseSettings(courseId) {
  const { data } = await getAuthenticatedHttpClient().get(studioUrl(coursePath(courseId)), inLanguage());
  return data;
}

export async function putCourseSettings(courseId, body) {
  const { data } = await getAuthenticatedHttpClient().put(studioUrl(coursePath(courseId)), body);
  return data;
}

/** Every active credit, following the API's pages. */
export async function getActiveCredits() {
  const client = getAuthenticatedHttpClient();
  let url = studioUrl(`${API_PATH}/credits/?is_active=true&page_size=500`);
  const results = [];
  // A bounded loop: the API caps page_size at 500, so 20 pages is 10,000 credits.
  for (let page = 0; url && page < 20; page += 1) {
    // eslint-disable-next-line no-await-in-loop
    const { data } = await client.get(url, inLanguage());
    results.push(...(data.results || []));
    url = data.next;
  }
  return results;
}

/** The API's error body ({error_code, developer_message, field_errors}) of a failed call, or null. */
export function apiError(error) {
  const body = error?.customAttributes?.httpErrorResponseData ?? error?.response?.data;
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      parsed = null;
    }
  }
  if (parsed && typeof parsed === 'object' && 'error_code' in parsed) {
    return { ...parsed, field_errors: parsed.field_errors || {} };
  }
  return null;
}

/** The HTTP status of a failed call (the platform's client or plain axios), or null. */
export function httpStatus(error) {
  return error?.customAttributes?.httpErrorStatus ?? error?.response?.status ?? null;
}
