/**
 * Translations shipped with the package, by locale. English is the default message of each
 * ``defineMessages`` entry. Add a locale: add ``messages/<locale>.json`` and import it here.
 */
import fr from './messages/fr.json';

const translations = { fr };

/** The package's messages for ``locale`` ("fr-ca" falls back to "fr"), or {}. */
export function messagesFor(locale) {
  const code = (locale || '').toLowerCase();
  return translations[code] || translations[code.split(/[-_]/)[0]] || {};
}

export default translations;
