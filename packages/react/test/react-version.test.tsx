// The react and react18 projects run the same tests; this one proves each really got its React
// (the project sets EXPECTED_REACT_MAJOR), so an alias that silently stopped working fails here.
import { version as reactVersion } from 'react';
import { version as domVersion } from 'react-dom';
import { version as serverVersion } from 'react-dom/server';
import { expect, it } from 'vitest';

it('runs on the React major its project names, for react, react-dom and react-dom/server', () => {
  const expected = process.env.EXPECTED_REACT_MAJOR;
  expect(expected).toMatch(/^\d+$/);
  for (const v of [reactVersion, domVersion, serverVersion]) expect(v.split('.')[0]).toBe(expected);
});
