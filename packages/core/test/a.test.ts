import { x } from "../src/index.js"; import { strictEqual } from "node:assert/strict"; strictEqual(x, 1);
