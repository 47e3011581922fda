import { useEffect, useState } from 'react';

import { httpStatus } from './api';

/**
 * Run ``request()`` when ``key`` changes; returns {status, data, error}, status being
 * 'loading', 'ready', 'notFound' (HTTP 404) or 'error'. A response that arrives after the
 * component changed key or unmounted is dropped.
 */
export default function useRequest(request, key) {
  const [state, setState] = useState({ status: 'loading', data: null, error: null });

  useEffect(() => {
    if (key === null || key === undefined || key === '') {
      setState({ status: 'error', data: null, error: new Error('missing key') });
      return undefined;
    }
    let current = true;
    setState({ status: 'loading', data: null, error: null });
    request(key).then(
      (data) => { if (current) { setState({ status: 'ready', data, error: null }); } },
      (error) => {
        if (current) {
          setState({ status: httpStatus(error) === 404 ? 'notFound' : 'error', data: null, error });
        }
      },
    );
    return () => { current = false; };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  return state;
}
