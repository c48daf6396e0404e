{{/* Names: <release>-atelier-<component>, or <release>-<component> when the release is named atelier. */}}
{{- define "atelier.fullname" -}}
{{- if contains "atelier" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-atelier" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "atelier.labels" -}}
app.kubernetes.io/name: atelier
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "atelier.selectorLabels" -}}
app.kubernetes.io/name: atelier
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "atelier.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}

{{- define "atelier.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{ .Values.secrets.existingSecret }}
{{- else -}}
{{ include "atelier.fullname" . }}-secrets
{{- end -}}
{{- end -}}

{{/* Settings every app reads: the shared database, object storage, online store and serving token. */}}
{{- define "atelier.env" -}}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- if .Values.devDependencies.enabled }}
- name: DATABASE_URL
  value: {{ printf "postgres://postgres@%s-postgres:5432/atelier" (include "atelier.fullname" .) | quote }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "atelier.secretName" . }}
      key: DATABASE_URL
{{- end }}
- name: S3_ENDPOINT
  value: {{ .Values.s3.endpoint | quote }}
- name: S3_BUCKET
  value: {{ .Values.s3.bucket | quote }}
- name: S3_REGION
  value: {{ .Values.s3.region | quote }}
- name: S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "atelier.secretName" . }}
      key: S3_ACCESS_KEY
- name: S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "atelier.secretName" . }}
      key: S3_SECRET_KEY
- name: ATELIER_SERVING_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "atelier.secretName" . }}
      key: ATELIER_SERVING_TOKEN
{{- if .Values.redis.enabled }}
{{- if .Values.devDependencies.enabled }}
- name: ATELIER_ONLINE_STORE
  value: {{ printf "redis://%s-redis:6379" (include "atelier.fullname" .) | quote }}
{{- else }}
- name: ATELIER_ONLINE_STORE
  valueFrom:
    secretKeyRef:
      name: {{ include "atelier.secretName" . }}
      key: ATELIER_ONLINE_STORE
{{- end }}
{{- end }}
{{- end -}}

{{- define "atelier.volumes" -}}
- name: data
  emptyDir:
    sizeLimit: {{ .Values.dataVolume.sizeLimit }}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end -}}

{{- define "atelier.volumeMounts" -}}
- name: data
  mountPath: /var/lib/atelier
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/* The probes of an app on its port: liveness on /healthz, readiness on /readyz, a startup allowance. */}}
{{- define "atelier.probes" -}}
startupProbe:
  httpGet: {path: /healthz, port: http}
  periodSeconds: 5
  failureThreshold: 60
livenessProbe:
  httpGet: {path: /healthz, port: http}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /readyz, port: http}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}
