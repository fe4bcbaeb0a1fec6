/** Sent at enrolment and with every heartbeat; bumped with agents/package.json. */
export const AGENT_VERSION = '0.1.0';
