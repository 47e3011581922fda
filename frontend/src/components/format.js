/** "2.50" with unit "hours" -> "2.5 hours" in English, "2,5 hours" in French. */
export function formatAmount(intl, amount, unit, messages) {
  const number = Number(amount);
  const shown = Number.isFinite(number)
    ? intl.formatNumber(number, { maximumFractionDigits: 2 })
    : String(amount ?? '');
  return unit ? intl.formatMessage(messages.amountWithUnit, { amount: shown, unit }) : shown;
}

export function formatDay(intl, isoDate) {
  const date = new Date(isoDate);
  return Number.isNaN(date.getTime()) ? '' : intl.formatDate(date, { year: 'numeric', month: 'long', day: 'numeric' });
}
