export { default as CreditsSidebarWidget } from './components/CreditsSidebarWidget';
export { default as CourseCardCredits, makeCourseCardCredits } from './components/CourseCardCredits';
export { default as CourseAboutCredits } from './components/CourseAboutCredits';
export { default as CreditsCourseAppSettings } from './components/CreditsCourseAppSettings';
export { default as CreditsIntl, withCreditsIntl } from './components/CreditsIntl';
export {
  reduxCourseCard, queryCourseCard, cardCredits, cardIndex, INITIALIZE_QUERY_KEY,
} from './data/learnerDashboard';
export { SLOTS, learnerDashboardSlots, catalogSlots } from './slots';
export { default as translations, messagesFor } from './i18n';
export { default as messages } from './messages';
