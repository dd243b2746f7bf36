/** The kinds of log Elastic Load Balancing writes into one `elasticloadbalancing/` folder. */
export type ElbLogKind = 'alb' | 'alb_connection' | 'nlb' | 'elb';

/**
 * `[conn_log_]<account>_elasticloadbalancing_<region>_<app.|net.|classic name>..._<time>_...`:
 * the file name, not the folder, says which load balancer wrote it (AWS documents a `.` after
 * `conn_log`, real files have `_`; both are read).
 */
const ELB_FILE = /(?:^|\/)(conn_log[_.])?\d{12}_elasticloadbalancing_[a-z]{2}(?:-[a-z]+)+-\d_(app\.|net\.)?[^/]+$/;

export function elbLogKind(key: string): ElbLogKind | undefined {
  const match = ELB_FILE.exec(key);
  if (!match) {
    return undefined;
  }
  if (match[1]) {
    return 'alb_connection';
  }
  if (match[2] === 'app.') {
    return 'alb';
  }
  return match[2] === 'net.' ? 'nlb' : 'elb';
}
