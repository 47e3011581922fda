import '@testing-library/jest-dom/vitest';
import { afterEach, vi } from 'vitest';
import { cleanup } from '@testing-library/react';

// @edx/frontend-platform's test services (MockAuthService, MockLoggingService) are written for Jest
// and build their spies with the global ``jest.fn``: vitest's ``vi`` provides the same.
globalThis.jest = vi;

afterEach(() => {
  cleanup();
});
