/**
 * The learner dashboard MFE (frontend-app-learner-dashboard) gives course card slots only a
 * ``cardId`` ("card-0", "card-1", ...: the index of the course in the learner-home API's
 * ``courses`` list). The card's data lives in the MFE's own store, which changed between releases:
 *
 * - Ulmo and earlier: Redux, ``state.app.courseData[cardId]`` is the API's course object
 *   (the MFE's own ``reduxHooks.useCardEnrollmentData`` keeps only the fields it knows, so it
 *   would drop the credits keys): use ``reduxCourseCard(useSelector)``.
 * - Verawood (React Query): the learner-home answer is the ``['learner-dashboard', 'initialize',
 *   masqueradeUser]`` query; ``courses[index]`` is the card: use
 *   ``queryCourseCard(useQueryClient)``.
 *
 * Each adapter receives the hook from the MFE's own copy of the library (react-redux or
 * @tanstack/react-query), so this package depends on neither.
 */
import { useCallback, useSyncExternalStore } from 'react';

export const INITIALIZE_QUERY_KEY = ['learner-dashboard', 'initialize'];

/** The index of a learner dashboard card id ("card-3" -> 3), or null. */
export function cardIndex(cardId) {
  const match = /^card-(\d+)$/.exec(cardId || '');
  return match ? Number(match[1]) : null;
}

/** Adapter for the Redux learner dashboard (Ulmo): pass react-redux's ``useSelector``. */
export const reduxCourseCard = (useSelector) => (cardId) => useSelector(
  (state) => state?.app?.courseData?.[cardId] ?? null,
);

/** The newest learner-home answer in a React Query cache (the one the dashboard shows). */
function latestCourses(queryClient, queryKey) {
  const queries = queryClient.getQueryCache().findAll({ queryKey });
  let latest = null;
  queries.forEach((query) => {
    const { data, dataUpdatedAt } = query.state;
    if (data?.courses && (!latest || dataUpdatedAt > latest.state.dataUpdatedAt)) {
      latest = query;
    }
  });
  return latest ? latest.state.data.courses : null;
}

/** Adapter for the React Query learner dashboard (Verawood): pass ``useQueryClient``. */
export const queryCourseCard = (useQueryClient, queryKey = INITIALIZE_QUERY_KEY) => (cardId) => {
  const queryClient = useQueryClient();
  const subscribe = useCallback(
    (onChange) => queryClient.getQueryCache().subscribe(onChange),
    [queryClient],
  );
  const index = cardIndex(cardId);
  return useSyncExternalStore(subscribe, () => {
    const courses = latestCourses(queryClient, queryKey);
    return (courses && index !== null ? courses[index] : null) ?? null;
  });
};

/**
 * What the plugin's learner-home filter step adds to a card's course run, read defensively:
 * ``courseRun.offeredCredits`` and ``courseRun.earnedCredits`` (the enrollment is left as the
 * platform serializes it; an unfulfilled entitlement's course run is null).
 */
export function cardCredits(card) {
  const offered = card?.courseRun?.offeredCredits;
  const earned = card?.courseRun?.earnedCredits;
  return {
    offered: Array.isArray(offered) ? offered : [],
    earned: Array.isArray(earned) ? earned : [],
  };
}

const creditKey = (item) => `${item.creditType}\u0000${item.creditName}`;

/**
 * One row per credit: each offered credit with its award when earned, then awards of credits the
 * course no longer offers (an award is a record: it stays).
 */
export function creditRows({ offered, earned }) {
  const awards = new Map(earned.map((award) => [creditKey(award), award]));
  const rows = offered.map((credit) => ({ credit, award: awards.get(creditKey(credit)) || null }));
  const shown = new Set(offered.map(creditKey));
  earned.forEach((award) => {
    if (!shown.has(creditKey(award))) {
      rows.push({ credit: award, award });
    }
  });
  return rows;
}
