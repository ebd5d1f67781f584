<#import "template.ftl" as layout>
<#-- Passkey registration (Keycloak Passkeys): a name, then the browser's passkey dialog. -->
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        <#if passkeyRegister.nudge>${msg("passkeyNudgeTitle")}<#elseif passkeyRegister.signUp>${msg("passkeySignUpTitle")}<#else>${msg("passkeyRegisterTitle")}</#if>
    <#elseif section = "form">
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
        <div id="passkey-config" hidden
             data-options="${passkeyRegister.options}"
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
