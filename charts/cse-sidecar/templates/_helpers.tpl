{{- define "cse-sidecar.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cse-sidecar.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cse-sidecar.labels" -}}
app.kubernetes.io/name: {{ include "cse-sidecar.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "cse-sidecar.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cse-sidecar.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
