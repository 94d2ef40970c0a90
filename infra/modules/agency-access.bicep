// Per-agency upload isolation with attribute-based access control (ABAC). The agency's principal (usually an Entra
// group) may read and write blobs only under inventories/{agency}/ and plans/{agency}/, list only those prefixes,
// never delete (versioning and soft delete keep every upload), and read its results under results/{agency}/.
// No agency can read or write another agency's files.
param storageName string

@description('One entry per agency: { agency: \'doc\', principalId: \'<object id>\', principalType: \'Group\' }.')
param agencyUploaders array

var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var blobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var blobs = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs'
var containerName = '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]'
var blobPath = '@Resource[${blobs}:path]'
var listPrefix = '@Request[${blobs}:prefix]'
var uploadContainers = '(${containerName} StringEquals \'inventories\' OR ${containerName} StringEquals \'plans\')'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageName
}

resource uploads 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for uploader in agencyUploaders: {
  name: guid(storage.id, uploader.principalId, blobDataContributor, uploader.agency)
  scope: storage
  properties: {
    principalId: uploader.principalId
    principalType: uploader.principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
    description: 'Uploads for agency ${uploader.agency}: inventories/${uploader.agency}/ and plans/${uploader.agency}/ only'
    conditionVersion: '2.0'
    condition: '((!(ActionMatches{\'${blobs}/read\'} AND NOT SubOperationMatches{\'Blob.List\'}) AND !(ActionMatches{\'${blobs}/write\'}) AND !(ActionMatches{\'${blobs}/add/action\'})) OR (${uploadContainers} AND ${blobPath} StringStartsWith \'${uploader.agency}/\')) AND (!(ActionMatches{\'${blobs}/read\'} AND SubOperationMatches{\'Blob.List\'}) OR (${uploadContainers} AND ${listPrefix} StringStartsWith \'${uploader.agency}/\')) AND (!(ActionMatches{\'${blobs}/delete\'}))'
  }
}]

resource results 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for uploader in agencyUploaders: {
  name: guid(storage.id, uploader.principalId, blobDataReader, uploader.agency)
  scope: storage
  properties: {
    principalId: uploader.principalId
    principalType: uploader.principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataReader)
    description: 'Results for agency ${uploader.agency}: results/${uploader.agency}/ only'
    conditionVersion: '2.0'
    condition: '(!(ActionMatches{\'${blobs}/read\'} AND NOT SubOperationMatches{\'Blob.List\'}) OR (${containerName} StringEquals \'results\' AND ${blobPath} StringStartsWith \'${uploader.agency}/\')) AND (!(ActionMatches{\'${blobs}/read\'} AND SubOperationMatches{\'Blob.List\'}) OR (${containerName} StringEquals \'results\' AND ${listPrefix} StringStartsWith \'${uploader.agency}/\'))'
  }
}]
