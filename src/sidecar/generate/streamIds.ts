/** Identifies a series of objects (one writer): a trail folder, a load balancer node, a flow log. */
export const trailStream = (account: string, region: string) => `cloudtrail|${account}|${region}`;
export const albStream = (lbName: string, account: string, region: string, nodeIp: string) => `alb|${account}|${region}|${lbName}|${nodeIp}`;
export const flowStream = (flowLogId: string, account: string, region: string) => `vpcflow|${account}|${region}|${flowLogId}`;
