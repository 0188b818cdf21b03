<?xml version="1.0" ?>
<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">
  <xsl:output method="text" indent="no" />
  <xsl:template match="/data">
    <xsl:text>Emergency call: </xsl:text>
    <xsl:choose>
      <xsl:when test="systemuser/fullname">
        <xsl:value-of select="translate(systemuser/fullname, '{}', '()')" />
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>an agent</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text> dialed {{emc:DialedNumber}} in {{emc:CountryName}} at {{emc:CallTimeUtc}}</xsl:text>
  </xsl:template>
</xsl:stylesheet>
