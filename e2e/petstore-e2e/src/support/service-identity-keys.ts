/**
 * The keys the test stack's api-gateway and order-service sign their calls with — generated for
 * this suite and used nowhere else — so a spec can make the calls those services make (and
 * forge the ones they must not).
 */
export const TEST_IDENTITY_KEYS = {
  'api-gateway':
    '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgg7nzflwfYX/2+IJ+\n2LBrKOoRvSHxvjrdfrnhF/bwetihRANCAAR1+5jP+jPR1c+mKcH+RPgkr2kuY8dG\nY/Z4p/F1RoPfwvEVLXR+c+kTDroKwaJE+5x+WYja+Oew5NuqmeD3OAPp\n-----END PRIVATE KEY-----\n',
  'order-service':
    '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg3plY1sz/8ImOdA28\nW+JKhB9ffwpiKdx9rPzzj3ke4iehRANCAAQpvmn5nfSpdvfT2/XnLHlU/RYmZZUj\n+bhQrMLTWsdtNs+L/A7GbMDo8WF9SEdGwVoQ1TARX22zvsYcbVCwB1J0\n-----END PRIVATE KEY-----\n',
} as const;

/**
 * The apps' environment variables that give them these keys, named as platform's
 * identityKeyVariableOf names them (the security spec checks that they agree): global setup
 * loads this file without the workspace's path aliases, so it cannot import platform.
 */
export const TEST_IDENTITY_ENVIRONMENT = {
  API_GATEWAY_IDENTITY_KEY: TEST_IDENTITY_KEYS['api-gateway'],
  ORDER_SERVICE_IDENTITY_KEY: TEST_IDENTITY_KEYS['order-service'],
};
