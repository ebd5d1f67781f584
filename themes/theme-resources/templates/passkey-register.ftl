<#import "template.ftl" as layout>
<#-- Passkey registration (Keycloak Passkeys): a name, then the browser's passkey dialog. -->
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        <#if passkeyRegister.upgrade>${msg("passkeyUpgradeTitle")}<#elseif passkeyRegister.nudge>${msg("passkeyNudgeTitle")}<#elseif passkeyRegister.signUp>${msg("passkeySignUpTitle")}<#else>${msg("passkeyRegisterTitle")}</#if>
    <#elseif section = "form">
        <#if passkeyRegister.upgrade>
            <#-- Automatic upgrade first: the password manager may create the passkey without a dialog.
                 The nudge below shows only if it does not (passkey-register.js). -->
            <p id="passkey-upgrade-status" class="kcp-status kcp-info" role="status" aria-live="polite">${msg("passkeyUpgradeWorking")}</p>
            <noscript>
                <form action="${url.loginAction}" method="post">
                    <button type="submit" name="passkey_upgrade" value="unsupported"
                            class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}">
                        ${msg("passkeyUpgradeContinue")}
                    </button>
                </form>
            </noscript>
        </#if>
        <div id="passkey-register-ui"<#if passkeyRegister.upgrade> hidden</#if>>
        <p id="passkey-register-intro"><#if passkeyRegister.crossDevice>${msg("passkeyCrossDeviceIntro")}<#elseif passkeyRegister.recovery>${msg("passkeyRecoveryIntro")}<#elseif passkeyRegister.nudge>${msg("passkeyNudgeIntro")}<#elseif passkeyRegister.signUp>${msg("passkeySignUpIntro")}<#else>${msg("passkeyRegisterIntro")}</#if></p>
        <form id="passkey-register-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post" novalidate="novalidate">
            <div class="${properties.kcFormGroupClass!}">
                <label for="passkey-name" class="${properties.kcLabelClass!}">${msg("passkeyNameLabel")}</label>
                <span class="${properties.kcInputClass!}">
                    <input id="passkey-name" name="passkey_name" type="text" value="${passkeyRegister.defaultName}"
                           maxlength="64" required autocomplete="off" aria-describedby="passkey-name-help"/>
                </span>
                <p id="passkey-name-help" class="kcp-help">${msg("passkeyNameHelp")}</p>
            </div>
            <input type="hidden" id="passkey-response" name="passkey_response" disabled/>
            <input type="hidden" id="passkey-name-default" name="passkey_name_default" value="false"/>
            <#if passkeyRegister.upgrade>
                <input type="hidden" id="passkey-upgrade" name="passkey_upgrade" value="unsupported"/>
            </#if>
            <div id="passkey-status" class="kcp-status" role="alert" aria-live="assertive"></div>
            <div class="${properties.kcFormGroupClass!} kcp-actions">
                <button id="passkey-create" type="submit"
                        class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}">
                    ${msg("passkeyCreateButton")}
                </button>
                <#if passkeyRegister.canDefer>
                    <button id="passkey-not-now" type="submit" name="nudge" value="later" formnovalidate
                            class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}">
                        ${msg("passkeyNudgeLater")}
                    </button>
                    <button id="passkey-never" type="submit" name="nudge" value="never" formnovalidate
                            class="${properties.kcButtonClass!} ${properties.kcButtonLinkClass!} ${properties.kcButtonBlockClass!}">
                        ${msg("passkeyNudgeNever")}
                    </button>
                </#if>
                <#if passkeyRegister.appInitiated>
                    <button id="passkey-cancel" type="submit" name="cancel-aia" value="true" formnovalidate
                            class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}">
                        ${msg("doCancel")}
                    </button>
                </#if>
            </div>
            <noscript><p>${msg("passkeyNeedsJavaScript")}</p></noscript>
        </form>
        </div>
        <#if passkeyRegister.upgrade && !passkeyRegister.nudge>
            <button id="passkey-continue" type="submit" form="passkey-register-form" name="passkey_upgrade" value="fallback" hidden
                    class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}">
                ${msg("passkeyUpgradeContinue")}
            </button>
        </#if>
        <div id="passkey-config" hidden
             data-options="${passkeyRegister.options}"
             data-upgrade="${passkeyRegister.upgrade?c}"
             data-upgrade-options="${passkeyRegister.upgradeOptions}"
             data-msg-nudge-title="${msg("passkeyNudgeTitle")}"
             data-nudge="${passkeyRegister.nudge?c}"
             data-msg-cancelled="${msg("passkeyCancelled")}"
             data-msg-timeout="${msg("passkeyTimeout")}"
             data-msg-unsupported="${msg("passkeyUnsupported")}"
             data-msg-security="${msg("passkeySecurityError")}"
             data-msg-already-registered="${msg("passkeyAlreadyRegistered")}"
             data-msg-failed="${msg("passkeyFailed")}"
             data-msg-name-required="${msg("passkeyNameRequired")}"
             data-msg-working="${msg("passkeyWorking")}"></div>
        <link rel="stylesheet" href="${url.resourcesPath}/css/passkeys.css"/>
        <script type="module" src="${url.resourcesPath}/js/passkey-register.js"></script>
    </#if>
</@layout.registrationLayout>
