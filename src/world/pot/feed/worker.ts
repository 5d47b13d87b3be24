// Worker-thread entry of the traffic feed (see ./feed.ts): draws the world's aggregated epochs ahead.
// May import: ./feed.

import { workerData } from "node:worker_threads";
import { runTrafficFeed } from "./feed.js";

runTrafficFeed(workerData.spec, workerData.shared);
