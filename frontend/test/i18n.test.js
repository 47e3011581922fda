import { describe, expect, it } from 'vitest';
import { DIRECT_PLUGIN, PLUGIN_OPERATIONS } from '@openedx/frontend-plugin-framework';

import messages from '../src/messages';
import fr from '../src/i18n/messages/fr.json';
import { messagesFor } from '../src/i18n';
import { SLOTS, catalogSlots, learnerDashboardSlots } from '../src/slots';

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it('French translates every message, with the same placeholders, and nothing else', () => {
    const ids = Object.values(messages).map((m) => m.id).sort();
    expect(Object.keys(fr).sort()).toEqual(ids);
    Object.values(messages).forEach(({ id, defaultMessage }) => {
      expect(placeholders(fr[id]), id).toEqual(placeholders(defaultMessage));
    });
  });

  it('uses French for regional French locales and nothing for others', () => {
    expect(messagesFor('fr-ca')).toBe(fr);
    expect(messagesFor('FR')).toBe(fr);
    expect(messagesFor('de')).toEqual({});
  });
});

describe('slot configuration', () => {
  it('puts the widgets in the learner dashboard and catalog slots', () => {
    const withoutCards = learnerDashboardSlots();
    expect(Object.keys(withoutCards)).toEqual([SLOTS.learnerDashboardSidebar]);
    const slots = learnerDashboardSlots({ useCourseCard: () => null });
    expect(Object.keys(slots)).toEqual([
      'org.openedx.frontend.learner_dashboard.widget_sidebar.v1',
      'org.openedx.frontend.learner_dashboard.course_card_banner.v1',
    ]);
    Object.values({ ...slots, ...catalogSlots() }).forEach(({ keepDefault, plugins: [plugin] }) => {
      expect(keepDefault).toBe(true);
      expect(plugin.op).toBe(PLUGIN_OPERATIONS.Insert);
      expect(plugin.widget.type).toBe(DIRECT_PLUGIN);
      expect(typeof plugin.widget.RenderWidget).toBe('function');
    });
    expect(Object.keys(catalogSlots())).toEqual(['org.openedx.frontend.catalog.course_about_page.sidebar']);
  });
});
