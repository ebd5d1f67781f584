<#ftl output_format="plainText">
<#-- Passkey security notice (Keycloak Passkeys), plain-text part. -->
<#if passkeyChange == "added">${msg("passkeyMailAddedIntro", realmName)}<#else>${msg("passkeyMailRemovedIntro", realmName)}</#if>

<#if passkeyName?has_content>
${msg("passkeyMailName")}: ${passkeyName}
</#if>
<#if passkeyProvider?has_content>
${msg("passkeyMailProvider")}: ${passkeyProvider}
</#if>
${msg("passkeyMailWhen")}: ${changedAt}

${msg("passkeyMailIfYou")}
<#if passkeyChange == "added">${msg("passkeyMailIfNotYouAdded")}<#else>${msg("passkeyMailIfNotYouRemoved")}</#if>

${msg("passkeyMailPageLink")}: ${passkeysPageUrl}
