/**
 * The consent proof (consent.e2e.test.ts) on two replicas sharing one PostgreSQL database behind a round-robin
 * load balancer: the broker's page, the sign-in's start and its callback land on different replicas, so every
 * honest sign-in shows the pending sign-in is shared, and every forgery is refused whichever replica answers.
 */
import { protocolMode } from "./support.js";

protocolMode.replicas = 2;
await import("./consent.e2e.test.js");
