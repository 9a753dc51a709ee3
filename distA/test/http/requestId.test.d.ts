import '../../src/http/context.js';
