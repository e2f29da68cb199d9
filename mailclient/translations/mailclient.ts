<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
    <context>
        <name>mailclient</name>
        <message>
            <location filename="../ui/account_dialog.py" line="45" />
            <source>Edit Account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="45" />
            <location filename="../ui/quick_setup.py" line="92" />
            <source>Add Account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="46" />
            <location filename="../ui/quick_setup.py" line="92" />
            <source>Welcome to mailclient</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="50" />
            <source>Set up your e-mail account to start reading your mail.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="72" />
            <source>Save &amp;Without Checking</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="91" />
            <source>Signed in with {provider}. Saving checks both servers with this sign-in.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="112" />
            <source>Saving checks both servers with your sign-in.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="120" />
            <location filename="../ui/account_dialog.py" line="167" />
            <source>the password is empty</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="174" />
            <location filename="../ui/account_dialog.py" line="202" />
            <source>Checking the servers…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="174" />
            <location filename="../ui/account_dialog.py" line="202" />
            <source>Saving…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="179" />
            <source>adding the account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="184" />
            <location filename="../ui/account_dialog.py" line="205" />
            <location filename="../ui/quick_setup.py" line="188" />
            <source>saving the account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="215" />
            <source>no usable keyring was found</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="216" />
            <source>The account was saved, but the password could not be stored ({problem}). It is kept for this session only; you will be asked for it next time.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="221" />
            <source>Done</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_dialog.py" line="237" />
            <source>stopped: the account was not saved</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="48" />
            <source>You</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="51" />
            <location filename="../ui/quick_setup.py" line="101" />
            <source>Ada Lovelace</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="58" />
            <location filename="../ui/account_form.py" line="79" />
            <source>the e-mail address</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="59" />
            <location filename="../ui/identity_editor.py" line="45" />
            <location filename="../ui/quick_setup.py" line="106" />
            <source>Your &amp;name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="60" />
            <location filename="../ui/identity_editor.py" line="46" />
            <location filename="../ui/quick_setup.py" line="107" />
            <source>&amp;E-mail address</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="61" />
            <location filename="../ui/password_prompt.py" line="55" />
            <location filename="../ui/quick_setup.py" line="108" />
            <source>&amp;Password</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="62" />
            <location filename="../ui/quick_setup.py" line="114" />
            <source>or</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="63" />
            <source>Account na&amp;me</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="67" />
            <source>Servers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="81" />
            <source>&amp;Incoming type</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="82" />
            <source>Incoming &amp;server</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="84" />
            <source>&amp;Outgoing (SMTP)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="86" />
            <source>&amp;User name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="93" />
            <source>Options</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="96" />
            <source>system certificates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="97" />
            <source>CA certificate file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="98" />
            <source>&amp;Browse…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="100" />
            <source>Choose a CA certificate file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="105" />
            <location filename="../ui/account_form.py" line="162" />
            <source>CA certificate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="106" />
            <source>Allow unencrypted connections (the password is sent in clear text)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="109" />
            <source>&amp;Check that I can log in before saving</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="121" />
            <source>The name of an account cannot be changed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="122" />
            <source>unchanged (type a new one to change it)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="142" />
            <source>signed in with {provider}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_form.py" line="163" />
            <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="66" />
            <source>Account Settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="69" />
            <location filename="../ui/account_settings.py" line="71" />
            <source>Accounts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="72" />
            <source>&amp;Add…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="72" />
            <source>Set up another account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="73" />
            <source>&amp;Edit…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="73" />
            <source>Change the servers, name or password</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="74" />
            <source>&amp;Remove…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="75" />
            <source>Remove the account, its password and its mail here</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="79" />
            <location filename="../ui/account_settings.py" line="81" />
            <location filename="../ui/account_settings.py" line="155" />
            <source>Identities</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="82" />
            <source>A&amp;dd Identity…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="83" />
            <source>Send as another address of this account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="84" />
            <source>Edit &amp;Identity…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="85" />
            <source>Change the name, Reply-To or signature</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="86" />
            <source>Remove Iden&amp;tity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="86" />
            <source>Remove this alias</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="145" />
            <source>Identities of {account}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="147" />
            <source>{identity} (the account's own)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="150" />
            <source>Reply-To {address}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="196" />
            <source>Account {name} saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="204" />
            <source>Remove Account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="205" />
            <source>Remove the account {name}?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="207" />
            <source>Its password and the mail kept on this computer are deleted. The mail on the server is left alone.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="209" />
            <source>&amp;Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="224" />
            <source>removing the account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="228" />
            <source>Account {name} removed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/account_settings.py" line="281" />
            <source>saving the identities</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/attachment_actions.py" line="63" />
            <source>Save Attachment</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/attachment_actions.py" line="65" />
            <source>Save All Attachments</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/attachment_actions.py" line="87" />
            <source>&amp;Open</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/attachment_actions.py" line="88" />
            <source>&amp;Save As…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/attachment_actions.py" line="90" />
            <source>Save &amp;All…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/attachment_actions.py" line="130" />
            <source>{name} would run as a program: save it instead, and open it only if you trust it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/attachment_actions.py" line="144" />
            <source>{name} was not saved: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/attachment_actions.py" line="148" />
            <location filename="../ui/reader_actions.py" line="156" />
            <source>Saved {path}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/bounce_banner.py" line="107" />
            <source>Edit and resend</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/bounce_banner.py" line="108" />
            <source>Open the message again to fix the address and send it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/bounce_banner.py" line="134" />
            <source>and {count} more</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/bridge.py" line="43" />
            <source>unexpected error while {doing} ({kind}); details are in the log</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/bridge.py" line="45" />
            <source>unexpected error ({kind}); details are in the log</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="48" />
            <source>Certificate Changed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="49" />
            <source>Untrusted Certificate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="53" />
            <source>The certificate of {server} changed since you trusted it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="54" />
            <source>The certificate of {server} is not trusted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="60" />
            <source>This may be an attack: someone may be trying to read your mail and password. Trust the new certificate only if you know that the server's certificate was replaced.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="67" />
            <location filename="../ui/mailto_handler.py" line="51" />
            <source>Reason: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="72" />
            <source>Compare the fingerprint with the one your provider publishes before you trust the certificate. Nothing, not even your password, was sent.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="80" />
            <source>unknown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="81" />
            <source>SHA-256 &amp;fingerprint:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="86" />
            <source>Issued &amp;to:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="87" />
            <source>Issued &amp;by:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="88" />
            <source>Valid &amp;from:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="89" />
            <source>Valid &amp;until:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="106" />
            <source>&amp;Refuse</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="108" />
            <source>Trust &amp;Once</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="110" />
            <source>Trust &amp;Always</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="112" />
            <source>Connect now; ask again after the program restarts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/certificate_dialog.py" line="113" />
            <source>Remember this certificate for this account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="35" />
            <source>Undo</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="36" />
            <source>Stop sending and open the message again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="62" />
            <source>&amp;Write</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="63" />
            <source>Write a new message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="64" />
            <source>&amp;Reply</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="65" />
            <source>Reply to the sender</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="66" />
            <source>Reply &amp;All</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="67" />
            <source>Reply to the sender and every recipient</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="68" />
            <source>&amp;Forward</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="69" />
            <source>Forward the message with its attachments</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="84" />
            <source>{tip} ({key})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="99" />
            <source>Add an account first: choose Add Account….</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="138" />
            <location filename="../ui/compose_actions.py" line="158" />
            <source>The draft cannot be opened: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="179" />
            <source>Cannot answer this message: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="218" />
            <source>Too late to undo: the message is on its way.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="224" />
            <source>Sending undone: the message is open again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="236" />
            <location filename="../ui/compose_actions.py" line="245" />
            <location filename="../ui/compose_actions.py" line="252" />
            <location filename="../ui/compose_window.py" line="221" />
            <location filename="../ui/eml_window.py" line="54" />
            <location filename="../ui/list_format.py" line="54" />
            <location filename="../ui/reader.py" line="211" />
            <source>(no subject)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="238" />
            <source>Sending “{subject}” (and {more} more)…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="239" />
            <source>Sending “{subject}”…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="245" />
            <source>Sent “{subject}”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_actions.py" line="251" />
            <source>“{subject}” waits in the outbox until {when}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_drafts.py" line="73" />
            <source>saving a draft</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_drafts.py" line="80" />
            <source>Draft saved at {time}, on this computer only ({error})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_drafts.py" line="83" />
            <source>Draft saved at {time}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_drafts.py" line="90" />
            <source>The draft was not saved: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_drafts.py" line="124" />
            <source>deleting a draft</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_fields.py" line="127" />
            <source>Attachments</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_fields.py" line="131" />
            <source>Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_fields.py" line="132" />
            <source>Remove the selected attachments (Del)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_fields.py" line="189" />
            <source>{count} file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_fields.py" line="189" />
            <source>{count} files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_fields.py" line="190" />
            <source>{files}, {size}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_fields.py" line="192" />
            <source>These attachments make {size}: many mail servers refuse messages over {limit}. Share large files by a link instead.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_identity.py" line="32" />
            <source>{identity} — {account}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_identity.py" line="59" />
            <location filename="../ui/compose_window.py" line="114" />
            <location filename="../ui/reader.py" line="112" />
            <location filename="../ui/reader_actions.py" line="60" />
            <source>From</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_sending.py" line="29" />
            <location filename="../ui/compose_sending.py" line="79" />
            <source>The message was not sent: {error}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_sending.py" line="66" />
            <source>Sending…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_sending.py" line="68" />
            <location filename="../ui/compose_sending.py" line="113" />
            <location filename="../ui/compose_sending.py" line="177" />
            <source>sending a message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="114" />
            <location filename="../ui/reader.py" line="112" />
            <location filename="../ui/reader_actions.py" line="61" />
            <source>To</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="115" />
            <location filename="../ui/reader.py" line="112" />
            <location filename="../ui/reader_actions.py" line="61" />
            <source>Cc</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="115" />
            <source>Bcc</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="116" />
            <location filename="../ui/reader_actions.py" line="60" />
            <source>Subject</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="120" />
            <source>Attached</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="129" />
            <source>Message text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="145" />
            <source>&amp;Send</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="147" />
            <source>Send the message (Ctrl+Return)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="148" />
            <source>Send &amp;Later…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="150" />
            <source>Choose when the message is sent (Ctrl+Shift+Return)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="151" />
            <source>Save &amp;Draft</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="153" />
            <source>Keep the message in Drafts (Ctrl+S)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="154" />
            <source>&amp;Attach…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="155" />
            <source>Attach files (or drop them on this window)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="156" />
            <source>Discard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="157" />
            <source>Close without sending, deleting its draft</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="158" />
            <source>Compose</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="221" />
            <source>Write: {subject}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="234" />
            <source>The message cannot be sent: {error}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="240" />
            <source>Attach files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_window.py" line="251" />
            <source>Not attached: {files}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/connection_test.py" line="31" />
            <source>Review &amp;certificate…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/connection_test.py" line="59" />
            <source>✓ {what}: logged in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/connection_test.py" line="62" />
            <source>✗ {what}: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/connection_test.py" line="84" />
            <source>&amp;Test Connection</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/connection_test.py" line="86" />
            <source>Log in to both servers without saving</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/connection_test.py" line="111" />
            <source>Logging in…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/connection_test.py" line="115" />
            <source>testing the connection</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/conversation_pane.py" line="48" />
            <source>Messages of the conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/conversation_pane.py" line="83" />
            <source>Conversation of {count}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/conversation_pane.py" line="124" />
            <source>{account}: {folder}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/eml_window.py" line="53" />
            <source>{subject} — {file}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/eml_window.py" line="56" />
            <location filename="../ui/window_layout.py" line="78" />
            <source>&amp;File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/eml_window.py" line="60" />
            <source>Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/eml_window.py" line="68" />
            <source>the file is larger than 100 MB</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/eml_window.py" line="88" />
            <source>Open Message File…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/eml_window.py" line="94" />
            <location filename="../ui/eml_window.py" line="106" />
            <source>Open Message File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/eml_window.py" line="96" />
            <location filename="../ui/reader_actions.py" line="141" />
            <source>Email messages (*.eml);;All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/eml_window.py" line="107" />
            <source>Cannot open {path}: {why}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="36" />
            <location filename="../ui/folder_actions.py" line="43" />
            <source>Delete Folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="37" />
            <source>Delete the folder {name} of {account} with its {count} and any folders inside it?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="42" />
            <source>It is deleted on the server too. This cannot be undone.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="72" />
            <location filename="../ui/folder_actions.py" line="223" />
            <source>&amp;New Folder…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="73" />
            <source>Create a folder in the chosen account or folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="74" />
            <location filename="../ui/folder_actions.py" line="224" />
            <source>&amp;Rename Folder…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="75" />
            <source>Rename the chosen folder (F2)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="79" />
            <location filename="../ui/folder_actions.py" line="225" />
            <source>&amp;Delete Folder…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="80" />
            <source>Delete the chosen folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="82" />
            <location filename="../ui/folder_actions.py" line="230" />
            <source>Mark &amp;All Read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="83" />
            <source>Mark every message of the chosen folder read (Shift+C)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="125" />
            <source>Choose an account or a folder to create a folder in.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="129" />
            <source>New Folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="130" />
            <source>Name of the new folder in {where}:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="136" />
            <source>Folder {name} created.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="137" />
            <source>The folder was not created</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="145" />
            <source>Rename Folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="146" />
            <source>New name for {name}:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="152" />
            <source>Folder renamed to {name}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="153" />
            <source>The folder was not renamed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="161" />
            <source>{name} cannot be deleted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="168" />
            <source>Folder {name} deleted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="169" />
            <source>The folder was not deleted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="189" />
            <source>The messages were not marked read: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="194" />
            <source>{count} marked read.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="199" />
            <source>Asking the server…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="201" />
            <source>changing folders</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="209" />
            <source>{failed}: folder changes need a connection to the server ({error}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_actions.py" line="211" />
            <source>{failed}: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_tree.py" line="31" />
            <source>Inbox</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_tree.py" line="39" />
            <source>{name} ({unread})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_tree.py" line="78" />
            <source>Folders</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_tree.py" line="172" />
            <source>The inboxes of every account: {total} messages, {unread} unread</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_tree.py" line="182" />
            <source>{name}: {unread} unread</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_tree.py" line="189" />
            <source>{name}: {total} messages, {unread} unread</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="27" />
            <source>{count} new message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="27" />
            <source>{count} new messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="101" />
            <source>getting mail for {account}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="116" />
            <source>{account} ({count} so far)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="118" />
            <source>Getting mail for {accounts}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="142" />
            <location filename="../ui/outbox_timer.py" line="73" />
            <source>{account}: a queued message was not sent: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="148" />
            <source>{account}: no password is stored for this account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="153" />
            <location filename="../ui/get_mail.py" line="194" />
            <source>{account}: {problem}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="215" />
            <source>No new mail</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="217" />
            <source>{count} queued message sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="218" />
            <source>{count} queued messages sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="219" />
            <source>{summary}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/get_mail.py" line="221" />
            <source> Problems: {problems}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/i18n.py" line="40" />
            <source>{count} message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/i18n.py" line="40" />
            <source>{count} messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/identity_editor.py" line="31" />
            <source>Edit Identity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/identity_editor.py" line="31" />
            <source>Add Identity</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/identity_editor.py" line="39" />
            <source>replies go to the address above</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/identity_editor.py" line="42" />
            <source>Signature</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/identity_editor.py" line="47" />
            <source>&amp;Reply-To</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/identity_editor.py" line="48" />
            <source>&amp;Signature</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/identity_editor.py" line="51" />
            <source>The signature goes below a “-- ” line at the end of what you write.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/identity_editor.py" line="73" />
            <source>The account's own address: change it in Edit Account</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/list_format.py" line="75" />
            <source>Flagged</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/list_format.py" line="77" />
            <source>A conversation of {count} messages here, {unread} unread</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/list_format.py" line="81" />
            <source>1 attachment</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/list_format.py" line="81" />
            <location filename="../ui/reader.py" line="293" />
            <source>{count} attachments</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/mailto_handler.py" line="48" />
            <source>Cannot Write This Message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/mailto_handler.py" line="49" />
            <source>The link could not be opened as a new message.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/mailto_handler.py" line="52" />
            <source>Cannot write this message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/main.py" line="57" />
            <source>Settings cannot be read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/main.py" line="58" />
            <source>mailclient cannot start with its settings file.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/main.py" line="61" />
            <source>Start with Fresh Settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/main.py" line="62" />
            <source>Quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/main.py" line="65" />
            <source>The broken file is kept beside the new one as {name}.broken-DATE</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/main_window.py" line="246" />
            <source>{name}: new mail is no longer checked: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/main_window.py" line="270" />
            <source>Account {name} added; getting its mail…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="30" />
            <source>Empty {folder}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="32" />
            <source>Delete the {count} in {folder} of {account} for good?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="35" />
            <source>This cannot be undone.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="67" />
            <source>&amp;Delete</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="69" />
            <source>Move the selected messages to Trash; in Trash, delete them for good (Del)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="70" />
            <location filename="../ui/message_actions.py" line="111" />
            <source>Mark as &amp;Read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="71" />
            <source>Mark the selected messages read or unread (M)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="72" />
            <location filename="../ui/message_actions.py" line="112" />
            <source>&amp;Flag</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="74" />
            <source>Flag or unflag the selected messages (S)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="75" />
            <source>&amp;Move To</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="111" />
            <source>Mark as &amp;Unread</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="112" />
            <source>Remove &amp;Flag</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="129" />
            <source>not deleted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="131" />
            <location filename="../ui/message_actions.py" line="269" />
            <source>{count} deleted for good.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="132" />
            <source>{count} moved to Trash.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="142" />
            <source>not moved</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="144" />
            <source>{count} moved to {folder}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="152" />
            <location filename="../ui/message_filing.py" line="74" />
            <source>The messages were not moved: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="155" />
            <source>Messages can only be moved to a folder of their own account.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="191" />
            <source>not changed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="202" />
            <source>The messages were {failed}: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="239" />
            <source>Choose messages of one account to move them</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="254" />
            <source>Empty {folder}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="265" />
            <source>{folder} was not emptied: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_display.py" line="120" />
            <location filename="../ui/message_display.py" line="159" />
            <source>This message cannot be shown: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_display.py" line="137" />
            <source>downloading a message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_display.py" line="153" />
            <source>Why: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_filing.py" line="28" />
            <source>&amp;Archive</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_filing.py" line="30" />
            <source>Move the selected messages to the Archive folder (A)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_filing.py" line="32" />
            <source>&amp;Junk</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_filing.py" line="34" />
            <source>Move the selected messages to the Junk folder (J)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_filing.py" line="64" />
            <source>creating the {role} folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_list.py" line="267" />
            <source>Flagged (S)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_list_view.py" line="69" />
            <source>Messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/new_mail_notifier.py" line="31" />
            <source>From {sender}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/new_mail_notifier.py" line="34" />
            <source>{n} new messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/new_mail_notifier.py" line="34" />
            <source>From {senders}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/new_mail_notifier.py" line="39" />
            <source>(no sender)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/new_mail_notifier.py" line="117" />
            <source>showing a notification</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/oauth_sign_in.py" line="42" />
            <source>Sign in with {provider}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/oauth_sign_in.py" line="64" />
            <source>Sign in to {provider} again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/oauth_sign_in.py" line="67" />
            <source>{provider} asks you to sign in again before the account {account} can get or send mail. Messages you send wait in the outbox.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/oauth_sign_in.py" line="83" />
            <source>&amp;Sign In to {provider} Again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/oauth_sign_in.py" line="102" />
            <source>Waiting for the sign-in in your browser…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/oauth_sign_in.py" line="104" />
            <location filename="../ui/quick_setup.py" line="242" />
            <location filename="../ui/sign_in_button.py" line="69" />
            <source>signing in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/outbox_timer.py" line="65" />
            <source>sending queued messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/outbox_timer.py" line="70" />
            <source>{account}: {count} queued message(s) sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/outbox_timer.py" line="79" />
            <source>{account}: queued messages were not sent: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/password_prompt.py" line="37" />
            <source>Password for {account}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/password_prompt.py" line="40" />
            <source>The password of the account {account} was not accepted.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/password_prompt.py" line="42" />
            <source>No password is stored for the account {account}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/password_prompt.py" line="55" />
            <source>New &amp;password</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/password_prompt.py" line="56" />
            <source>&amp;Remember in keyring</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/password_prompt.py" line="63" />
            <source>&amp;Try Again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/password_prompt.py" line="97" />
            <source>the password is kept for this session only: {problem}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/password_prompt.py" line="105" />
            <source>storing the password</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/provider_fill.py" line="82" />
            <source>Settings for {provider} filled in from the bundled provider database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="64" />
            <source>{server}: logged in</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="65" />
            <source>{server}: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="95" />
            <source>Your name, e-mail address and password are enough: the settings are found and tried before anything is saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="122" />
            <source>Servers tried</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="127" />
            <source>Set Up &amp;Manually…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="129" />
            <source>&amp;Continue</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="149" />
            <source>Type the password of this address.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="153" />
            <source>Looking for the servers of {domain}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="157" />
            <source>finding your mail servers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="184" />
            <source>Logged in. Saving the account…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="192" />
            <source>No settings were found for this address. Choose “Set Up Manually…” and type your provider's server names.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="194" />
            <source>The servers found did not accept the login (see below). Check the password, or choose “Set Up Manually…”.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="238" />
            <source>Sign in to {provider} in your browser…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/quick_setup.py" line="250" />
            <source>Signed in; checking the servers…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader.py" line="74" />
            <location filename="../ui/reader.py" line="197" />
            <source>No message selected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader.py" line="112" />
            <location filename="../ui/reader_actions.py" line="62" />
            <source>Date</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader.py" line="146" />
            <source>Message body</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader.py" line="292" />
            <source>{count} attachment</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="96" />
            <source>Print…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="98" />
            <source>Save As…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="100" />
            <location filename="../ui/reader_actions.py" line="173" />
            <location filename="../ui/reader_actions.py" line="179" />
            <source>Unsubscribe</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="101" />
            <source>Leave the mailing list this message came from</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="124" />
            <source>Print Message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="140" />
            <location filename="../ui/reader_actions.py" line="152" />
            <source>Save Message As</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="153" />
            <source>Cannot save {path}: {why}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="173" />
            <source>Open the page to unsubscribe, {url}?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="180" />
            <source>Unsubscribe from this mailing list? A request will be sent to {host}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="188" />
            <source>unsubscribing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="192" />
            <source>Unsubscribed: {host} accepted the request.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_actions.py" line="196" />
            <source>Unsubscribing failed: {why}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_body.py" line="139" />
            <source>its first {count} parts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_body.py" line="141" />
            <source>its parts to {count} levels deep</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_body.py" line="143" />
            <source>the first {count} characters of its {name} header</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_body.py" line="146" />
            <source>its first {count} headers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_body.py" line="148" />
            <source>the first {count} characters of its text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_body.py" line="150" />
            <source>its raw text</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/reader_body.py" line="153" />
            <source>This message is too complex to show fully: showing {what}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_image_loader.py" line="60" />
            <source>loading remote images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_image_loader.py" line="73" />
            <source>Cannot save the setting: {why}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_image_loader.py" line="76" />
            <source>Remote images from {sender} will always be loaded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_image_loader.py" line="84" />
            <source>{n} remote images could not be loaded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_images_bar.py" line="31" />
            <location filename="../ui/remote_images_bar.py" line="55" />
            <source>Remote images were blocked to protect your privacy.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_images_bar.py" line="33" />
            <source>Load for this message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_images_bar.py" line="34" />
            <source>Load remote images for this message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_images_bar.py" line="36" />
            <source>Always load remote images from this sender</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_images_bar.py" line="57" />
            <source>{count} remote image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_images_bar.py" line="58" />
            <source>{count} remote images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_images_bar.py" line="59" />
            <source>Always for {sender}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_images_bar.py" line="61" />
            <source>Always load remote images from {sender}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/remote_images_bar.py" line="69" />
            <source>Loading remote images…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/resend.py" line="89" />
            <source>{first} and {last}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/resend.py" line="90" />
            <source>Not delivered to {listing}. Fix or remove the address, then send.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/resend.py" line="92" />
            <source>Not delivered to {listing}. Fix or remove the addresses, then send.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/resend.py" line="108" />
            <source>Not delivered: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/resend.py" line="133" />
            <source>Cannot resend this message: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/safe_browser.py" line="42" />
            <source>Misleading link</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/safe_browser.py" line="43" />
            <source>The link text shows {shown} but leads to {target}. Open it anyway?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/search_box.py" line="39" />
            <source>More than {limit} results for “{query}”; showing the newest {limit}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/search_box.py" line="42" />
            <source>No results for “{query}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/search_box.py" line="43" />
            <source>{count} result for “{query}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/search_box.py" line="44" />
            <source>{count} results for “{query}”</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/search_box.py" line="66" />
            <source>Search</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/send_later_dialog.py" line="28" />
            <source>In one hour</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/send_later_dialog.py" line="30" />
            <source>This afternoon</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/send_later_dialog.py" line="32" />
            <source>Tomorrow morning</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/send_later_dialog.py" line="35" />
            <source>Monday morning</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/send_later_dialog.py" line="44" />
            <source>Send Later</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/send_later_dialog.py" line="48" />
            <source>The message waits in the outbox and is sent at this time (by this app, or by “mailclient sync”).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/send_later_dialog.py" line="53" />
            <source>{choice} — {time}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/send_later_dialog.py" line="65" />
            <source>&amp;Date and time:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/send_later_dialog.py" line="68" />
            <source>&amp;Schedule</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/server_fields.py" line="40" />
            <source>{what} port must be a number from 1 to 65535, not {text!r}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/server_fields.py" line="56" />
            <source>{protocol} host</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/server_fields.py" line="63" />
            <source>{protocol} security</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/server_fields.py" line="69" />
            <source>Port</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/server_fields.py" line="110" />
            <source>Allow unencrypted connections below to use this</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/server_push.py" line="60" />
            <source>updating {account} on the server</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/server_push.py" line="73" />
            <source>{name}: saved here; the server will be updated at the next sync.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_entries.py" line="36" />
            <source>Account &amp;Settings…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="43" />
            <source>&amp;Get Mail</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="45" />
            <source>Get new mail for every account (F5)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="46" />
            <source>&amp;Add Account…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="47" />
            <source>&amp;Quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="50" />
            <source>&amp;Search Messages</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="53" />
            <source>Group by &amp;Conversation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="56" />
            <source>One row per conversation, its messages shown together (Ctrl+T)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="78" />
            <source>&amp;Edit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="78" />
            <source>&amp;View</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="79" />
            <source>F&amp;older</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="79" />
            <source>&amp;Message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="93" />
            <source>Main</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/window_layout.py" line="122" />
            <source>Getting mail</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/compose_sending.py" line="22" />
            <source>The message stays in the outbox and is sent again at the next Get Mail; Send here would send a second copy.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/folder_tree.py" line="25" />
            <source>All Inboxes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/main_window.py" line="35" />
            <source>No account yet: choose Add Account… to set one up.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="22" />
            <source>Trash</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_actions.py" line="23" />
            <source>Junk</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_display.py" line="21" />
            <source>Downloading message…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_display.py" line="22" />
            <source>This message has not been downloaded yet; it will be when the server can be reached.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/message_display.py" line="25" />
            <source>This message is no longer on the server, so it cannot be downloaded.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/search_box.py" line="15" />
            <source>Search  (from: to: subject: has:attachment is:unread before: after:)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/search_box.py" line="17" />
            <source>Search the stored messages of every account (Ctrl+K)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../ui/server_fields.py" line="18" />
            <source>None (insecure)</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
