/**
 * Where the widgets go: the frontend-plugin-framework slot ids of the MFEs (see docs/frontend.md)
 * and ready-made ``pluginSlots`` entries for an MFE's env.config.jsx.
 */
import { DIRECT_PLUGIN, PLUGIN_OPERATIONS } from '@openedx/frontend-plugin-framework';

import CourseAboutCredits from './components/CourseAboutCredits';
import { makeCourseCardCredits } from './components/CourseCardCredits';
import CreditsSidebarWidget from './components/CreditsSidebarWidget';

export const SLOTS = {
  learnerDashboardSidebar: 'org.openedx.frontend.learner_dashboard.widget_sidebar.v1',
  learnerDashboardCourseCard: 'org.openedx.frontend.learner_dashboard.course_card_banner.v1',
  catalogCourseAboutSidebar: 'org.openedx.frontend.catalog.course_about_page.sidebar',
};

const insert = (id, RenderWidget, priority) => ({
  op: PLUGIN_OPERATIONS.Insert,
  widget: {
    id, type: DIRECT_PLUGIN, priority, RenderWidget,
  },
});

/**
 * ``pluginSlots`` for the learner dashboard. ``useCourseCard(cardId)`` finds a card's data in the
 * dashboard's store: ``reduxCourseCard(useSelector)`` (Ulmo) or ``queryCourseCard(useQueryClient)``
 * (Verawood). Without it only the sidebar widget is added.
 */
export function learnerDashboardSlots({ useCourseCard } = {}) {
  const slots = {
    [SLOTS.learnerDashboardSidebar]: { keepDefault: true, plugins: [insert('course_credits_sidebar', CreditsSidebarWidget, 40)] },
  };
  if (useCourseCard) {
    slots[SLOTS.learnerDashboardCourseCard] = {
      keepDefault: true,
      plugins: [insert('course_credits_course_card', makeCourseCardCredits(useCourseCard), 60)],
    };
  }
  return slots;
}

/** ``pluginSlots`` for the catalog MFE: the credits card after the course about sidebar. */
export function catalogSlots() {
  return {
    [SLOTS.catalogCourseAboutSidebar]: { keepDefault: true, plugins: [insert('course_credits_course_about', CourseAboutCredits, 60)] },
  };
}
