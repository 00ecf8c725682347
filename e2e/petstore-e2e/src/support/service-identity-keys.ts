/**
 * The keys the test stack's api-gateway, order-service, inventory-service, photo-service and pet-service sign their calls with — generated for
 * this suite and used nowhere else — so a spec can make the calls those services make (and
 * forge the ones they must not).
 */
export const TEST_IDENTITY_KEYS = {
  'api-gateway':
    '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgg7nzflwfYX/2+IJ+\n2LBrKOoRvSHxvjrdfrnhF/bwetihRANCAAR1+5jP+jPR1c+mKcH+RPgkr2kuY8dG\nY/Z4p/F1RoPfwvEVLXR+c+kTDroKwaJE+5x+WYja+Oew5NuqmeD3OAPp\n-----END PRIVATE KEY-----\n',
  'order-service':
    '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg3plY1sz/8ImOdA28\nW+JKhB9ffwpiKdx9rPzzj3ke4iehRANCAAQpvmn5nfSpdvfT2/XnLHlU/RYmZZUj\n+bhQrMLTWsdtNs+L/A7GbMDo8WF9SEdGwVoQ1TARX22zvsYcbVCwB1J0\n-----END PRIVATE KEY-----\n',
  'inventory-service':
    '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg85MohT/OVS/Tkq6g\nkpxEKcxt3ixO9+Red3J/4kukOJehRANCAATJ5sh2paCPhFNf8agNJPqiq/rlhVsg\ni+I2qykFHZvpINRpxeOchUtPpj3qJTxx2wzp0VLQAhP2g7eMnJGQWYew\n-----END PRIVATE KEY-----\n',
  'photo-service':
    '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgUyAqA4gfnh7lBLgm\nOJgpxa5G60NsDJIFiWMsH0EH7XWhRANCAATMXq/nv4Z/ye3JPav4pFJ1hYnHiNt9\npbfjp6ocgdBtLt8bhGNIVb1wS83iiInW3Z905b8aJvzlvspU12lEzkhB\n-----END PRIVATE KEY-----\n',
  'pet-service':
    '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/dDUB43mDUnjt2OC\n3GU1ncQHWBp9F/7vhIxLvLiZc5KhRANCAAQpDHltLz1RtxBm1ryVukGreHI/YAy5\notu72x16o77t1wxfr4ztlyjb4evPBeCzOLkZEU8f6qicBTq2CfFfGV1/\n-----END PRIVATE KEY-----\n',
} as const;

/** The key the test stack's user-service signs access tokens with, so a spec can forge correctly signed ones. */
export const TEST_USER_SERVICE_TOKEN_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDJCgOsL8Njko7B\nfv/I1vw4HQBCFOWuVe8oWcMel0ov8KmZr8XXevSd0tENIe1vQx1CrQSQtQESxRHl\nlKb1r3U5yObPDw2mZ8dow9K3IGOYs4TOoqsQEsi0tz141O1tXGQvKa8sCUHNxUEL\nxPY8Oe+CabznSdn9ivxt7QpiByffhDJ61PBVpXN7xu4cRA0mB24f0s1ulLgcjTPh\n3WfEcDzAX7vB1mKnL5OV672rwNCT4W28rLDHcX6edJb7kpYffHG+W9duv6dKK6fe\n55pymOmzbBuUl6b9O/baTHE4E7imCXtRXD6cVQACf0cVWwAIF2Zta6r3qmyGlYQz\n66yjeflLAgMBAAECggEAFrWN4qZmkNneTFc3N42pYgFMpSpNI5tLb6hsFQmL9Mxf\nrB+h3oxiE23b9XrOolHXfU+kA2Ce5WrjcaaQEZKnUEa0Y9FUfmacrOXp6Iu9FGO6\n7ciMQD2O9HL6e6q5wy+7lWRFCFlnWIIereCq2/TDbFzbXNkHyc8oYpZzJM2gIGxQ\nMo42O6RoEHgEiREb/rxQs3FYmk7/gzgQUoG3fcnxjioAnfmiKthkAYkYnLKgQW4p\nKQndAjaJ3AbLbnb+N19FEqArjTlPQJixcXIy6lqoTolyCHwx/wNmJktJIGCVh8x7\nY/wb5eIFZf6BB+yc8bXZC5WmjbGqUc4SnmUdFmOlsQKBgQDkB8QMS8auCii/GrKq\nSR0fww5V6Do8BbCxVbaiJL3P+s5v9D33L2QfwGC8EqHzPca7bHN0oVPX2Wy7VrhR\nH+R2qIGHIPqSGTaq9CY8hNrB/TjnfyYeKgdxX1sLme/haQJZclx6d6tyydKyWBit\nGxq2e3/f5ZdPr9aKisjLj+MRcwKBgQDhsrb0OjEVS3AoHyWG+G5AH6Ca8oAvCUkt\nkDIvAgdyVeM5nU/vGYJAI4TG0XqKEHqr+m2oUHVGr24HGk7i4XUJ/kKr9pjWdx9z\nl71grQ6roUC0aihy9n+OPV/eCfjlF4rGJbL3fuLF1EpEf19FvUXnHuLmuSA33VZa\ntlIZfqAiyQKBgDnRQkM/32N3jfdOpKiKm0jXY0Yi+MkJRFDig8k++aXHWRqH2kJX\nkNKAK8bkDo4nRsF08R1MXn7nUSt7BIcFSB9SAG2rzfzHSdY0y5EiunjfZNNFqPuS\n+oojfGlHocwMnRzi41HmD+GuDK9NqQwTSEWmsLirdR8uXX6JS/pZRGDDAoGBAJ5v\nzIsJxqcCPAuOQdPL1elhyma7UUyzohFAJlplfEDBFi+9xP091Pedd3nyV6lQBC1y\nMUR0pr8mK4EE8NfIGVcYjEkXZRc4rHWC0chp8+B75GZCF38Ml2KMpx3Btl1r91k9\n4bJn+l2Rt0j6eTEFu2qRfgslbf6JfDNVxbBr+ZIxAoGAGSvybTio6Ae5NgW6sxkB\nkA4pwI+Eb3JE5SkonzEuoCeuqvhSy+x+VDJh9A0hSdAh6ul9DfM4zktfxiFy27Ca\narBBtpHgJg/asGjJFvGIbMxXaSayO2K3/GvoyxGjsyra0LTSc3skChM1vUX32hcW\nhNinTDElxoASgqCgPDt2/v8=\n-----END PRIVATE KEY-----\n';

/**
 * The apps' environment variables that give them these keys, the service identities named as
 * platform's identityKeyVariableOf names them (the security spec checks that they agree): global setup
 * loads this file without the workspace's path aliases, so it cannot import platform.
 */
export const TEST_IDENTITY_ENVIRONMENT = {
  API_GATEWAY_IDENTITY_KEY: TEST_IDENTITY_KEYS['api-gateway'],
  ORDER_SERVICE_IDENTITY_KEY: TEST_IDENTITY_KEYS['order-service'],
  PHOTO_SERVICE_IDENTITY_KEY: TEST_IDENTITY_KEYS['photo-service'],
  INVENTORY_SERVICE_IDENTITY_KEY: TEST_IDENTITY_KEYS['inventory-service'],
  PET_SERVICE_IDENTITY_KEY: TEST_IDENTITY_KEYS['pet-service'],
  JWT_PRIVATE_KEY: TEST_USER_SERVICE_TOKEN_KEY,
};
