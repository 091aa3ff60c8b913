/**
 * The head of the small `acme` spec many tests start from: version, organization (management account, e-mail
 * template, one region) and the phases dev and prod. Tests append their `businessUnits:` and the rest.
 */
export const ACME_SPEC_HEAD = `version: 1
organization:
  name: acme
  managementAccount: { name: acme-management, email: aws-management@acme.example }
  emailTemplate: "aws+{account}@acme.example"
  regions: [us-east-1]
phases:
  - { name: dev }
  - { name: prod, production: true }
`;
