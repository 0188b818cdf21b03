<?xml version="1.0" ?><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:output method="text" indent="no"/><xsl:template match="/data"><![CDATA[<div style="font-family:Segoe UI,Arial,sans-serif;font-size:14px;">
<p style="font-size:16px;"><strong>An emergency call was made.</strong></p>
<p>{{emc:AgentName}} dialed the emergency number {{emc:DialedNumber}} from the contact center. You receive this email because you are on the agent's emergency notification list.</p>
<table cellpadding="4" style="border-collapse:collapse;">
<tr><td><strong>Agent</strong></td><td>{{emc:AgentName}}</td></tr>
<tr><td><strong>Agent's email</strong></td><td>{{emc:AgentEmail}}</td></tr>
<tr><td><strong>Time of the call</strong></td><td>{{emc:CallTimeUtc}}; agent's time: {{emc:CallTimeLocal}} ({{emc:AgentTimeZone}})</td></tr>
<tr><td><strong>Number dialed</strong></td><td>{{emc:DialedNumber}}</td></tr>
<tr><td><strong>Country</strong></td><td>{{emc:CountryName}} ({{emc:CountryCode}})</td></tr>
<tr><td><strong>Dispatchable location</strong></td><td>{{emc:Location}}</td></tr>
<tr><td><strong>Callback number</strong></td><td>{{emc:CallbackNumber}}</td></tr>
<tr><td><strong>Callback number valid until</strong></td><td>{{emc:CallbackExpiresUtc}}; agent's time: {{emc:CallbackExpiresLocal}}</td></tr>
<tr><td><strong>How a callback reaches the agent</strong></td><td>{{emc:CallbackDetails}}</td></tr>
<tr><td><strong>Reference</strong></td><td>{{emc:EmergencyCallId}}</td></tr>
</table>
<p>If the call dropped, emergency services can call the agent back as described above.</p>
</div>]]></xsl:template></xsl:stylesheet>