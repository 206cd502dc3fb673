/**
 * The broker's whole protocol suite (protocol.test.ts) on two replicas sharing one PostgreSQL database behind a
 * round-robin load balancer: consecutive requests land on different replicas, so a replay refused, a rotation
 * seen or a rate limit reached across replicas is what these tests check.
 */
import { protocolMode } from "./support.js";

protocolMode.replicas = 2;
await import("./protocol.test.js");
