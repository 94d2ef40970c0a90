// Per-agency isolation. Every agency assignment uses one custom role that carries blob data actions only: no
// control-plane actions (so no agency can delete or create containers, whatever its conditions say) and no delete
// data action (versioning and soft delete keep every upload). Attribute-based access control (ABAC) conditions then
// confine each agency's principal (usually an Entra group) to inventories/{agency}/ and plans/{agency}/ for
// reading and writing, and to results/{agency}/ for reading. No agency can read or write another agency's files.
param storageName string

@description('One entry per agency: { agency: \'doc\', principalId: \'<object id>\', principalType: \'Group\' }.')
param agencyUploaders array

@description('Part of the role\'s display name, which must be unique in the tenant.')
param roleSuffix string

var blobs = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs'
var containerName = '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]'
var blobPath = '@Resource[${blobs}:path]'
var listPrefix = '@Request[${blobs}:prefix]'
var uploadContainers = '(${containerName} StringEquals \'inventories\' OR ${containerName} StringEquals \'plans\')'

// Role definitions are subscription-level objects even when a resource-group deployment creates them, and a role
// assignment names its role by the subscription-level id.
var agencyRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', agencyRole.name)

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageName
}

resource agencyRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'kdirective-agency-uploader')
  properties: {
    roleName: 'KDirective agency uploader (${roleSuffix})'
    description: 'Read, write and list blobs; nothing else. Every assignment adds a condition naming the agency\'s folders.'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          '${blobs}/read'
          '${blobs}/write'
          '${blobs}/add/action'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [ resourceGroup().id ]
  }
}

resource uploads 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for uploader in agencyUploaders: {
  name: guid(storage.id, uploader.principalId, agencyRoleId, uploader.agency, 'uploads')
  scope: storage
  properties: {
    principalId: uploader.principalId
    principalType: uploader.principalType
    roleDefinitionId: agencyRoleId
    description: 'Uploads for agency ${uploader.agency}: inventories/${uploader.agency}/ and plans/${uploader.agency}/ only'
    conditionVersion: '2.0'
    condition: '((!(ActionMatches{\'${blobs}/read\'} AND NOT SubOperationMatches{\'Blob.List\'}) AND !(ActionMatches{\'${blobs}/write\'}) AND !(ActionMatches{\'${blobs}/add/action\'})) OR (${uploadContainers} AND ${blobPath} StringStartsWith \'${uploader.agency}/\')) AND (!(ActionMatches{\'${blobs}/read\'} AND SubOperationMatches{\'Blob.List\'}) OR (${uploadContainers} AND ${listPrefix} StringStartsWith \'${uploader.agency}/\')) AND (!(ActionMatches{\'${blobs}/delete\'}))'
  }
}]

// The same role, read-only by condition: writing is never allowed through this assignment.
resource results 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for uploader in agencyUploaders: {
  name: guid(storage.id, uploader.principalId, agencyRoleId, uploader.agency, 'results')
  scope: storage
  properties: {
    principalId: uploader.principalId
    principalType: uploader.principalType
    roleDefinitionId: agencyRoleId
    description: 'Results for agency ${uploader.agency}: results/${uploader.agency}/ only, read-only'
    conditionVersion: '2.0'
    condition: '(!(ActionMatches{\'${blobs}/read\'} AND NOT SubOperationMatches{\'Blob.List\'}) OR (${containerName} StringEquals \'results\' AND ${blobPath} StringStartsWith \'${uploader.agency}/\')) AND (!(ActionMatches{\'${blobs}/read\'} AND SubOperationMatches{\'Blob.List\'}) OR (${containerName} StringEquals \'results\' AND ${listPrefix} StringStartsWith \'${uploader.agency}/\')) AND (!(ActionMatches{\'${blobs}/write\'}) AND !(ActionMatches{\'${blobs}/add/action\'}) AND !(ActionMatches{\'${blobs}/delete\'}))'
  }
}]

output roleDefinitionId string = agencyRoleId
