/**
 * "2.50" with unit "hours" -> "2.50 hours" in English, "2,50 hours" in French: always two decimal
 * places, as the plugin's pages, certificate and CSV write amounts (accrediting bodies count cents).
 */
export function formatAmount(intl, amount, unit, messages) {
  const number = Number(amount);
  const shown = Number.isFinite(number)
    ? intl.formatNumber(number, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : String(amount ?? '');
  return unit ? intl.formatMessage(messages.amountWithUnit, { amount: shown, unit }) : shown;
}

/**
 * A day in the reader's language ("January 1, 2026"), from an ISO date-time or a plain ISO date; a
 * plain date ("2026-01-01", an approval's first day) is that calendar day wherever the reader is.
 */
export function formatDay(intl, isoDate) {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? `${isoDate}T00:00:00` : isoDate);
  return Number.isNaN(date.getTime()) ? '' : intl.formatDate(date, { year: 'numeric', month: 'long', day: 'numeric' });
}
