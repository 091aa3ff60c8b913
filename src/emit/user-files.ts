/**
 * Files a user keeps next to emitted Terraform and that bulkhead never writes: working directory, state, backend,
 * variable values and override files. They survive a re-emit and do not count as foreign.
 */
export function isTerraformUserFile(name: string): boolean {
  return (
    name === '.terraform' ||
    name === '.terraform.lock.hcl' ||
    name.startsWith('terraform.tfstate') ||
    name === '.terraform.tfstate.lock.info' ||
    name === 'backend.tf' ||
    name === 'override.tf' ||
    name.endsWith('_override.tf') ||
    name.endsWith('.tfvars') ||
    name.endsWith('.tfvars.json')
  );
}
