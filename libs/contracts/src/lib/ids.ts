/** Ids are int64 in the contract; JSON numbers stay exact up to 2^53 - 1, so that is the ceiling. */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
