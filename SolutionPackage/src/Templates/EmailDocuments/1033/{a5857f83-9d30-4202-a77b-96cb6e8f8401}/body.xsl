<?xml version="1.0" ?>
<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">
  <!-- html output: every value the stylesheet itself writes (the agent's fields) is escaped by the processor; the
       {{emc:...}} tokens are replaced afterwards by the notification step, which HTML-encodes each value. Record
       fields go through translate(..., '{}', '()') so that braces typed into them can never form a token. -->
  <xsl:output method="html" indent="no" />
  <xsl:template match="/data">
    <div style="font-family:Segoe UI,Arial,sans-serif;font-size:14px;">
      <p style="font-size:16px;"><strong>An emergency call was made.</strong></p>
      <p>
        <xsl:choose>
          <xsl:when test="systemuser/fullname">
            <xsl:value-of select="translate(systemuser/fullname, '{}', '()')" />
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>An agent</xsl:text>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:text> dialed the emergency number {{emc:DialedNumber}} from the contact center. You receive this email because you are on the agent's emergency notification list.</xsl:text>
      </p>
      <table cellpadding="4" style="border-collapse:collapse;">
        <tr><td><strong>Agent</strong></td><td>{{emc:AgentName}}<xsl:if test="systemuser/internalemailaddress"><xsl:text> (</xsl:text><xsl:value-of select="translate(systemuser/internalemailaddress, '{}', '()')" /><xsl:text>)</xsl:text></xsl:if></td></tr>
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
    </div>
  </xsl:template>
</xsl:stylesheet>
