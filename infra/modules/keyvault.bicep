// Key Vault in RBAC mode with purge protection, holding the SendGrid API key.
param location string
param vaultName string
param tags object

@secure()
@description('The SendGrid API key. Empty keeps the secret already in the vault (the key is never in a parameter file).')
param sendGridApiKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

resource sendGridSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sendGridApiKey)) {
  parent: vault
  name: 'SendGridApiKey'
  properties: {
    value: sendGridApiKey
    contentType: 'SendGrid API key'
  }
}

output name string = vault.name
output id string = vault.id
output sendGridSecretUri string = '${vault.properties.vaultUri}secrets/SendGridApiKey'
