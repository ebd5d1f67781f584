<#import "template.ftl" as layout>
<#-- Passkey security notice (Keycloak Passkeys). Every value is escaped: the passkey name is the user's own text. -->
<@layout.emailLayout>
<p><#if passkeyChange == "added">${msg("passkeyMailAddedIntro", realmName)}<#else>${msg("passkeyMailRemovedIntro", realmName)}</#if></p>
<table role="presentation" cellpadding="0" cellspacing="0" style="margin: 0 0 1em 0">
    <#if passkeyName?has_content>
    <tr><th style="text-align: start; padding: 0 1em">${msg("passkeyMailName")}</th><td>${passkeyName}</td></tr>
    </#if>
    <#if passkeyProvider?has_content>
    <tr><th style="text-align: start; padding: 0 1em">${msg("passkeyMailProvider")}</th><td>${passkeyProvider}</td></tr>
    </#if>
    <tr><th style="text-align: start; padding: 0 1em">${msg("passkeyMailWhen")}</th><td>${changedAt}</td></tr>
</table>
<p>${msg("passkeyMailIfYou")}</p>
<p><#if passkeyChange == "added">${msg("passkeyMailIfNotYouAdded")}<#else>${msg("passkeyMailIfNotYouRemoved")}</#if></p>
<p><a href="${passkeysPageUrl}">${msg("passkeyMailPageLink")}</a></p>
</@layout.emailLayout>
