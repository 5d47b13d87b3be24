// Worker-thread entry of the traffic feed (see traffic-feed.ts): draws the world's aggregated epochs ahead.
// May import: ./traffic-feed.

import { workerData } from "node:worker_threads";
import { runTrafficFeed } from "./traffic-feed.js";

runTrafficFeed(workerData.spec, workerData.shared);
