// Everything the two packages export, plus the components' stylesheet.
import '../../packages/react/dist/styles.css';

export * from '../../packages/core/dist/index.js';
export * from '../../packages/react/dist/index.js';
