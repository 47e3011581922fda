// The authoring MFE (Pages & Resources) loads a course app's settings with
// import(`@openedx-plugins/course-app-${appId}/Settings.jsx`): install this package under the alias
// @openedx-plugins/course-app-course_credits and this file is what it finds. See docs/frontend.md.
export { default } from './dist/settings.js';
