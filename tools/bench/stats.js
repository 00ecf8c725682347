// Medians and percentiles of plain number lists.

function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

/** The value below which `fraction` of the values lie (nearest rank); undefined for none. */
function percentile(values, fraction) {
  if (values.length === 0) return undefined;
  const ordered = sorted(values);
  return ordered[Math.min(ordered.length - 1, Math.max(0, Math.ceil(fraction * ordered.length) - 1))];
}

/** The median; the mean of the middle two for an even count; undefined when no value is a number. */
function median(values) {
  const numbers = sorted(values.filter((value) => typeof value === 'number' && Number.isFinite(value)));
  if (numbers.length === 0) return undefined;
  const middle = Math.floor(numbers.length / 2);
  return numbers.length % 2 === 1 ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2;
}

module.exports = { median, percentile };
